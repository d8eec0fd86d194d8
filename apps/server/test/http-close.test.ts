// The server's close on the real runtime: a client that connected and never sent a byte does not
// hold it (Fastify closes idle keep-alive connections, not this one; it held the close until Node's
// headers timeout, 60–90 s). Fails on the old close by the test's deadline.
import { connect, type Socket } from 'node:net';
import { waitFor } from '@station/testkit';
import { describe, expect, it } from 'vitest';
import { HTTP_CLOSE_GRACE_MS } from '../src/http-close';
import { startTestServer } from './helpers';

describe('closing the server', () => {
  it(
    'cuts a connection that never sent a request once the grace is over, and closes',
    async () => {
      const server = await startTestServer();
      const { hostname, port } = new URL(server.baseUrl);
      const silent: Socket = connect(Number(port), hostname);
      let cut = false;
      silent.on('close', () => (cut = true));
      silent.on('error', () => {});
      await waitFor('the silent client connected', () => !silent.connecting && !cut);
      // The test's deadline: the grace and the other shutdown steps, well short of the 60 s and
      // more the silent socket held the close before.
      await server.close();
      expect(cut).toBe(true);
    },
    HTTP_CLOSE_GRACE_MS + 30_000,
  );
});
