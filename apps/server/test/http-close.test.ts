// The server's close on the real runtime: a client that connected and never sent a byte does not
// hold it (Fastify closes idle keep-alive connections, not this one; it held the close until Node's
// headers timeout, 60–90 s). Fails on the old close by the test's deadline. And a request in
// flight when a redeploy starts the close still gets its answer within the grace.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { TEST_DEMO_PASSWORD, waitFor } from '@station/testkit';
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

  it(
    'lets a request in flight finish with its answer, refuses new connections, then closes',
    async () => {
      const server = await startTestServer();
      const { hostname, port } = new URL(server.baseUrl);
      const client = connect(Number(port), hostname);
      await once(client, 'connect');
      let answer = '';
      client.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      client.on('error', () => {});
      // A sign-in whose body is still on its way when the close starts: its headers are sent,
      // half of its body follows only once the server is closing.
      const body = JSON.stringify({ username: 'operator', password: TEST_DEMO_PASSWORD });
      const half = body.length >> 1;
      // Node's 'request' comes once the headers are parsed; Fastify's own listener is untouched.
      const requested = once(server.runtime.app.server, 'request');
      client.write(
        `POST /api/session HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
      );
      await requested;
      const closing = server.close();
      // Listening has stopped: a new client is refused while the old request is finishing.
      await waitFor('the server to stop listening', async () => {
        const probe = connect(Number(port), hostname);
        const [outcome] = await Promise.race([
          once(probe, 'error').then(([e]) => [(e as NodeJS.ErrnoException).code]),
          once(probe, 'connect').then(() => ['connected']),
        ]);
        probe.destroy();
        return outcome === 'ECONNREFUSED';
      });
      // write, not end: Node's HTTP server drops a request whose client half-closes its socket.
      client.write(body.slice(half));
      await waitFor('the sign-in answer', () => /\r\n\r\n/.test(answer));
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer).toMatch(/set-cookie: /i);
      await closing;
      expect(client.destroyed || client.readableEnded).toBe(true);
    },
    HTTP_CLOSE_GRACE_MS + 30_000,
  );
});
