import { createServer, type Server } from 'node:http';
import type { SessionResponse } from '@station/contracts';

/** What the canned server answers `GET /api/session` with: a supervisor is signed in. */
export const CANNED_SESSION: SessionResponse = {
  user: {
    id: 'canned-supervisor',
    username: 'supervisor',
    displayName: 'Canned Supervisor',
    role: 'supervisor',
    stationId: null,
  },
  expiresAt: '2099-01-01T00:00:00.000Z',
};

/**
 * Answers `/api/health` with a fixed body: for states the real server cannot be put in from a test
 * on a shared machine (a body outside the contract; Redis down). The only fake in the browser test.
 * `GET /api/session` says a supervisor is signed in, so the line view shows.
 */
export async function startCannedHealthServer(
  port: number,
  body: unknown,
  status = 200,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    response.setHeader('access-control-allow-origin', request.headers.origin ?? '*');
    response.setHeader('access-control-allow-credentials', 'true');
    if (request.url === '/api/session' && request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(CANNED_SESSION));
      return;
    }
    if (request.url?.startsWith('/api/health')) {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such route' } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
