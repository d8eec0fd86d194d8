// The server's close on the real runtime: a client that connected and never sent a byte does not
// hold it (Fastify closes idle keep-alive connections, not this one; it held the close until Node's
// headers timeout, 60–90 s), and a request already answered is not cut short.
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
      // A normal request before the close still gets its whole answer.
      const health = await fetch(`${server.baseUrl}/api/health`);
      expect(health.status).toBe(200);
      // The test's deadline: the grace and the other shutdown steps, well short of the 60 s and
      // more the silent socket held the close before.
      await server.close();
      expect(cut).toBe(true);
    },
    HTTP_CLOSE_GRACE_MS + 30_000,
  );
});
