// Fastify's close waits for every open HTTP connection. It closes idle keep-alive connections
// itself, but not one a client opened and never sent a byte on: such a socket held the close
// until Node's headers timeout (60–90 s; seen in apps/server/test/metrics.test.ts), and on a
// redeploy the shutdown's deadline would exit before the stream readers, Postgres and Redis are
// closed in order. Requests in flight get a grace period to finish; then every connection still
// open is cut.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How long requests in flight may take to finish once the server is closing. */
export const HTTP_CLOSE_GRACE_MS = 5_000;

/**
 * Tracks `server`'s connections from now on and returns the close to use instead of `close`:
 * it runs `close` and cuts whatever connection is still open `graceMs` later.
 */
export function closeWithinGrace(
  server: Server,
  close: () => Promise<unknown>,
  graceMs = HTTP_CLOSE_GRACE_MS,
): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return async () => {
    const cut = setTimeout(() => {
      for (const socket of sockets) socket.destroy();
    }, graceMs);
    try {
      await close();
    } finally {
      clearTimeout(cut);
    }
  };
}
