// The session client against a real HTTP server on localhost answering each way the server can;
// nothing is mocked (Node's fetch is the same WHATWG fetch the browser runs).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionResponse } from '@station/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSession, signIn, signOut } from './session-client';

const session: SessionResponse = {
  user: {
    id: 'u1',
    username: 'operator',
    displayName: 'Olga Operator',
    role: 'operator',
    stationId: 'station-1',
  },
  expiresAt: '2030-01-01T12:00:00.000Z',
};

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const envelope = (code: string, message: string) => ({ error: { code, message } });

/** What each test's base path answers, by method; the last sign-in body is kept. */
const answers: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  'GET /in/api/session': (_req, res) => json(res, 200, session),
  'GET /out/api/session': (_req, res) =>
    json(res, 401, envelope('UNAUTHENTICATED', 'Sign in first')),
  'GET /bad-shape/api/session': (_req, res) =>
    json(res, 200, { ...session, user: { ...session.user, role: 'janitor' } }),
  'GET /broken/api/session': (_req, res) =>
    json(res, 500, envelope('INTERNAL', 'Internal server error')),
  'POST /in/api/session': (_req, res) => json(res, 200, session),
  'POST /out/api/session': (_req, res) =>
    json(res, 401, envelope('BAD_CREDENTIALS', 'Unknown badge')),
  'POST /no-station/api/session': (_req, res) =>
    json(res, 404, envelope('NOT_FOUND', 'Station station-9 is not known')),
  'POST /busy/api/session': (_req, res) =>
    json(res, 429, envelope('RATE_LIMITED', 'Too many sign-in attempts: try again in 1 minute')),
  'POST /busy-bare/api/session': (_req, res) => res.writeHead(429).end('slow down'),
  'POST /broken/api/session': (_req, res) => res.writeHead(502).end('<html>bad gateway</html>'),
  'DELETE /in/api/session': (_req, res) => res.writeHead(204).end(),
  'DELETE /out/api/session': (_req, res) =>
    json(res, 401, envelope('UNAUTHENTICATED', 'Sign in first')),
  'DELETE /broken/api/session': (_req, res) =>
    json(res, 500, envelope('INTERNAL', 'Internal server error')),
};
let lastBody = '';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method === 'POST') lastBody = body;
      const answer = answers[`${req.method} ${req.url}`];
      if (answer) answer(req, res);
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('fetchSession', () => {
  it('parses who is signed in', async () => {
    expect(await fetchSession(`${base}/in`)).toEqual({ kind: 'signed-in', session });
  });

  it('reads 401 as nobody signed in', async () => {
    expect(await fetchSession(`${base}/out`)).toEqual({ kind: 'signed-out' });
  });

  it('names the field that breaks the contract, and passes on an error', async () => {
    const bad = await fetchSession(`${base}/bad-shape`);
    expect(bad.kind === 'invalid' && bad.message).toMatch(
      /sent a session this dashboard does not understand: user\.role: /,
    );
    expect(await fetchSession(`${base}/broken`)).toEqual({
      kind: 'invalid',
      message: 'Internal server error',
    });
  });

  it('says when nothing answers', async () => {
    const closed = `http://127.0.0.1:1`;
    expect(await fetchSession(closed)).toEqual({
      kind: 'unreachable',
      message: `Server not reachable at ${closed} (connection failed)`,
    });
  });
});

describe('signIn', () => {
  const badge = { badge: '0001', stationId: 'station-1' };

  it('sends the request as JSON and returns the session', async () => {
    expect(await signIn(`${base}/in`, badge)).toEqual({ ok: true, session });
    expect(JSON.parse(lastBody)).toEqual(badge);
  });

  it("shows the server's sentence for wrong credentials and an unknown station", async () => {
    expect(await signIn(`${base}/out`, badge)).toEqual({
      ok: false,
      failure: { reason: 'bad-credentials', message: 'Unknown badge' },
    });
    expect(await signIn(`${base}/no-station`, badge)).toEqual({
      ok: false,
      failure: { reason: 'unknown-station', message: 'Station station-9 is not known' },
    });
  });

  it('says to wait when rate-limited', async () => {
    expect(await signIn(`${base}/busy`, badge)).toEqual({
      ok: false,
      failure: {
        reason: 'rate-limited',
        message: 'Too many sign-in attempts: try again in 1 minute',
      },
    });
    expect(await signIn(`${base}/busy-bare`, badge)).toEqual({
      ok: false,
      failure: {
        reason: 'rate-limited',
        message: 'Too many sign-in attempts from this screen: wait a minute, then try again',
      },
    });
  });

  it('names the status of an answer without a reason, and a server that is down', async () => {
    expect(await signIn(`${base}/broken`, badge)).toEqual({
      ok: false,
      failure: {
        reason: 'refused',
        message: 'Sign-in failed: The server answered 502 without a readable reason (502)',
      },
    });
    const closed = `http://127.0.0.1:1`;
    expect(await signIn(closed, badge)).toEqual({
      ok: false,
      failure: {
        reason: 'unreachable',
        message: `Server not reachable at ${closed} (connection failed)`,
      },
    });
  });
});

describe('signOut', () => {
  it('is done on 204, and on 401 (the session had ended already)', async () => {
    expect(await signOut(`${base}/in`)).toBe(null);
    expect(await signOut(`${base}/out`)).toBe(null);
  });

  it('says why not otherwise', async () => {
    expect(await signOut(`${base}/broken`)).toBe('Not signed out: Internal server error');
    expect(await signOut('http://127.0.0.1:1')).toBe(
      'Not signed out: Server not reachable at http://127.0.0.1:1 (connection failed)',
    );
  });
});
