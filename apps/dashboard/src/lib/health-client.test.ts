// fetchHealth against a real HTTP server on localhost answering each way a server can; nothing is
// mocked (Node's fetch is the same WHATWG fetch the browser runs).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthResponse } from '@station/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHealth } from './health-client';

const degraded: HealthResponse = {
  status: 'degraded',
  postgres: { ok: true },
  redis: { ok: false, error: 'Redis at 127.0.0.1:6379 refused the connection' },
  stations: [],
};

// Each test gets its own base path; the server answers by path.
const answers: Record<string, (res: ServerResponse) => void> = {
  '/ok/api/health': (res) =>
    res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify(degraded)),
  '/bad-shape/api/health': (res) =>
    res.writeHead(200).end(JSON.stringify({ ...degraded, redis: { ok: 'no' } })),
  '/not-json/api/health': (res) => res.writeHead(200).end('<html>proxy error</html>'),
  '/error/api/health': (res) =>
    res
      .writeHead(500)
      .end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal server error' } })),
  '/silent/api/health': () => {}, // never answers
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = answers[req.url ?? ''];
    if (answer) answer(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const look = (path: string, timeoutMs?: number) =>
  fetchHealth(`${base}${path}`, new AbortController().signal, timeoutMs);

describe('fetchHealth', () => {
  it('parses a 503 degraded report as a health report', async () => {
    expect(await look('/ok')).toEqual({ kind: 'ok', health: degraded });
  });

  it('names the field that breaks the contract', async () => {
    const result = await look('/bad-shape');
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.message).toMatch(
      /sent a health report this dashboard does not understand: redis\.ok: /,
    );
  });

  it('says when the body is not JSON', async () => {
    expect(await look('/not-json')).toEqual({
      kind: 'invalid',
      message: `The server at ${base}/not-json answered 200 without a JSON body`,
    });
  });

  it('passes on the message of an error envelope', async () => {
    expect(await look('/error')).toEqual({
      kind: 'invalid',
      message: `The server at ${base}/error answered 500: Internal server error`,
    });
  });

  it('reports a refused connection as unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await fetchHealth(url, new AbortController().signal)).toEqual({
      kind: 'unreachable',
      message: `Server not reachable at ${url} (connection failed)`,
    });
  });

  it('gives up on a server that never answers', async () => {
    expect(await look('/silent', 200)).toEqual({
      kind: 'unreachable',
      message: `Server not reachable at ${base}/silent (no answer within 0.2 s)`,
    });
  });

  it('rethrows when the caller aborts, so nothing is dispatched after unmount', async () => {
    const caller = new AbortController();
    const pending = fetchHealth(`${base}/silent`, caller.signal);
    caller.abort();
    await expect(pending).rejects.toThrow();
  });
});
