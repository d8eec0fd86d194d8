// Who may do what, against the real server runtime, Postgres, Redis and a station agent: one
// table of every route × anonymous and every role → the status it answers; then sign-in, sign-out,
// expiry, revocation, the sign-in rate limit, bad credentials, socket.io, and the start-up check
// that refuses a route the matrix does not list. Nothing is mocked.
import { randomBytes } from 'node:crypto';
import {
  SESSION_COOKIE,
  SessionResponse,
  StationListResponse,
  StationsSnapshot,
  type ClientToServerEvents,
  type ErrorResponse,
  type ServerToClientEvents,
} from '@station/contracts';
import { apiKeyRepository, stationRepository } from '@station/db';
import {
  labelImei,
  TEST_DEMO_BADGE,
  TEST_DEMO_PASSWORD,
  testImei,
  waitFor,
  type StationApp,
} from '@station/testkit';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { UnguardedRouteError } from '../src/auth/auth.plugin';
import { ROUTE_MATRIX } from '../src/auth/role-matrix';
import { sha256Hex } from '../src/auth/secrets';
import { postFlashJob, silentLogger, startStationFor, startTestServer, testAuth } from './helpers';
import type { TestServer } from './helpers';

const A = 'matrix-a';
/** Known to the database only: an operator can sign in at its kiosk. */
const B = 'matrix-b';

const WHO = [
  'anonymous',
  'operator@A',
  'operator@B',
  'operator',
  'supervisor',
  'engineer',
  'admin',
  'api-key',
] as const;
type Who = (typeof WHO)[number];

let server: TestServer;
let agent: StationApp;
/** The request headers that make each column: a session cookie, an API key or nothing. */
const credentials = {} as Record<Who, Record<string, string>>;
const apiKey = `fsk_${randomBytes(24).toString('base64url')}`;

beforeAll(async () => {
  server = await startTestServer();
  agent = await startStationFor(server, A);
  await stationRepository.upsert(server.db.prisma, {
    code: B,
    name: 'Second jig',
    slots: [{ index: 0, label: 'S1', powerControl: 'emulator' }],
  });
  await apiKeyRepository.create(server.db.prisma, {
    name: 'line report script',
    prefix: apiKey.slice(0, 12),
    keyHash: sha256Hex(apiKey),
    role: 'supervisor',
  });
  const cookie = (value: string) => ({ cookie: value });
  credentials.anonymous = {};
  credentials['operator@A'] = cookie(await server.signIn({ badge: TEST_DEMO_BADGE, stationId: A }));
  credentials['operator@B'] = cookie(await server.signIn({ badge: TEST_DEMO_BADGE, stationId: B }));
  credentials.operator = cookie(await server.signIn('operator'));
  for (const role of ['supervisor', 'engineer', 'admin'] as const) {
    credentials[role] = cookie(await server.signIn(role));
  }
  credentials['api-key'] = { authorization: `Bearer ${apiKey}` };
}, 90_000);

afterAll(async () => {
  await agent?.dispose();
  await server?.close();
}, 60_000);

interface Row {
  /** The ROUTE_MATRIX entry this row exercises. */
  route: string;
  /** A request field with a role rule of its own (a second row for its route). */
  field?: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Expected status per column, in WHO's order. */
  expect: [number, number, number, number, number, number, number, number];
}

const engineerOnly = (ok: number): Row['expect'] => [401, 403, 403, 403, 403, ok, ok, 403];
const adminOnly = (ok: number): Row['expect'] => [401, 403, 403, 403, 403, 403, ok, 403];
/** A well-formed id no row has. */
const NO_ROW = '00000000-0000-7000-8000-000000000000';
const takenUser = {
  username: 'admin',
  displayName: 'Another admin',
  role: 'admin',
  password: 'a-long-enough-password',
};
const supervisorUp = (ok: number): Row['expect'] => [401, 403, 403, 403, ok, ok, ok, ok];
// No package has this id: past the guard, each firmware route answers 404.
const noPackage = '/api/firmware-packages/00000000-0000-4000-8000-000000000000';
// A slot the station does not have: past the guard, the scan itself is refused (404), so no row
// starts a flash; the operator's real scan has its own test below.
const scanA = { stationId: A, slot: 99, imei: labelImei(1) };

//                                                        anon  op@A  op@B  op   sup  eng  adm  key
// prettier-ignore
const TABLE: Row[] = [
  { route: 'OPTIONS *', method: 'OPTIONS', path: '/api/stations',
    headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' },
                                                 expect: [204, 204, 204, 204, 204, 204, 204, 204] },
  { route: 'GET /api/health', method: 'GET', path: '/api/health',
                                                 expect: [200, 200, 200, 200, 200, 200, 200, 200] },
  { route: 'GET /api/session', method: 'GET', path: '/api/session',
                                                 expect: [401, 200, 200, 200, 200, 200, 200, 200] },
  { route: 'POST /api/session', method: 'POST', path: '/api/session',
    body: { username: 'nobody', password: 'wrong' },
                                                 expect: [401, 401, 401, 401, 401, 401, 401, 401] },
  { route: 'GET /api/stations', method: 'GET', path: '/api/stations',
                                                 expect: [401, 200, 200, 200, 200, 200, 200, 200] },
  { route: 'GET /api/stations/:stationId', method: 'GET', path: `/api/stations/${A}`,
                                                 expect: [401, 200, 403, 403, 200, 200, 200, 200] },
  // Admin only; the admin's answers refuse too (A has a credential, `nobody` has none), so no row
  // makes or changes a credential: the credential tests do that (station-credentials.test.ts).
  { route: 'POST /api/stations', method: 'POST', path: '/api/stations', body: { stationId: A },
                                                 expect: [401, 403, 403, 403, 403, 403, 409, 403] },
  { route: 'POST /api/stations/:stationId/credential', method: 'POST',
    path: '/api/stations/nobody/credential',      expect: [401, 403, 403, 403, 403, 403, 404, 403] },
  { route: 'DELETE /api/stations/:stationId/credential', method: 'DELETE',
    path: '/api/stations/nobody/credential',      expect: [401, 403, 403, 403, 403, 403, 404, 403] },
  { route: 'GET /api/station-credentials', method: 'GET', path: '/api/station-credentials',
                                                 expect: adminOnly(200) },
  // People and keys: admin only; the admin's answers that would change something refuse (a
  // taken username, an unknown user or key, an unknown station), so no row adds or revokes.
  { route: 'GET /api/users', method: 'GET', path: '/api/users', expect: adminOnly(200) },
  { route: 'POST /api/users', method: 'POST', path: '/api/users', body: takenUser,
                                                 expect: adminOnly(409) },
  { route: 'PATCH /api/users/:id', method: 'PATCH', path: `/api/users/${NO_ROW}`,
    body: { displayName: 'Nobody' },              expect: adminOnly(404) },
  { route: 'GET /api/api-keys', method: 'GET', path: '/api/api-keys', expect: adminOnly(200) },
  { route: 'POST /api/api-keys', method: 'POST', path: '/api/api-keys',
    body: { name: 'kiosk script', role: 'operator', stationId: 'nobody' },
                                                 expect: adminOnly(404) },
  { route: 'DELETE /api/api-keys/:id', method: 'DELETE', path: `/api/api-keys/${NO_ROW}`,
                                                 expect: adminOnly(404) },
  { route: 'POST /api/flash-jobs', method: 'POST', path: '/api/flash-jobs', body: scanA,
                                                 expect: [401, 404, 403, 403, 404, 404, 404, 404] },
  // A field with a rule of its own: `rework` (flash a module that passed again) is supervisors'
  // and up; an operator is refused even at their own station (403 before the slot's 404).
  { route: 'POST /api/flash-jobs', field: 'rework', method: 'POST', path: '/api/flash-jobs',
    body: { ...scanA, rework: true },            expect: [401, 403, 403, 403, 404, 404, 404, 404] },
  { route: 'GET /api/modules/:imei', method: 'GET', path: `/api/modules/${testImei(424_242)}`,
                                                 expect: [401, 403, 403, 403, 404, 404, 404, 404] },
  // A slot the station does not have and a module nobody knows: past the guard, 404, so no row
  // changes a status (line-judgement.test.ts releases and disables for real).
  { route: 'POST /api/stations/:stationId/slots/:slot/release', method: 'POST',
    path: `/api/stations/${A}/slots/99/release`, body: { reason: 'matrix row' },
    expect: supervisorUp(404) },
  { route: 'POST /api/stations/:stationId/slots/:slot/disable', method: 'POST',
    path: `/api/stations/${A}/slots/99/disable`, body: { reason: 'matrix row' },
    expect: supervisorUp(404) },
  { route: 'POST /api/modules/:imei/release', method: 'POST',
    path: `/api/modules/${testImei(424_242)}/release`, body: { reason: 'matrix row' },
    expect: supervisorUp(404) },
  { route: 'GET /api/attribution/open', method: 'GET', path: '/api/attribution/open',
    expect: supervisorUp(200) },
  { route: 'GET /api/audit-events', method: 'GET', path: '/api/audit-events?limit=1',
                                                 expect: [401, 403, 403, 403, 200, 200, 200, 200] },
  // An empty window's figures: supervisors and up read them, operators are refused.
  { route: 'GET /api/yield', method: 'GET',
    path: '/api/yield?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=shift',
    expect: supervisorUp(200) },
  { route: 'GET /api/failures/pareto', method: 'GET',
    path: '/api/failures/pareto?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&by=errorCode',
    expect: supervisorUp(200) },
  { route: 'GET /api/analytics/settings', method: 'GET', path: '/api/analytics/settings',
    expect: supervisorUp(200) },
  { route: 'GET /api/alerts', method: 'GET', path: '/api/alerts', expect: supervisorUp(200) },
  // The attempt explorer: operators are refused; an attempt nobody has is 404 past the guard.
  { route: 'GET /api/attempts', method: 'GET', path: '/api/attempts?limit=1',
    expect: supervisorUp(200) },
  { route: 'GET /api/attempts.csv', method: 'GET', path: `/api/attempts.csv?station=${A}`,
    expect: supervisorUp(200) },
  { route: 'GET /api/attempts/:id', method: 'GET', path: `/api/attempts/${NO_ROW}`,
    expect: supervisorUp(404) },
  // No multipart body: past the guard, the upload is refused as not multipart (415).
  { route: 'POST /api/firmware-packages', method: 'POST', path: '/api/firmware-packages',
    expect: engineerOnly(415) },
  { route: 'GET /api/firmware-packages', method: 'GET', path: '/api/firmware-packages',
    expect: supervisorUp(200) },
  { route: 'GET /api/firmware-packages/:id', method: 'GET', path: noPackage,
    expect: supervisorUp(404) },
  { route: 'GET /api/firmware-packages/:id/files/:fileName', method: 'GET',
    path: `${noPackage}/files/ROM`, expect: engineerOnly(404) },
  { route: 'POST /api/firmware-packages/:id/activate', method: 'POST',
    path: `${noPackage}/activate`, body: {}, expect: engineerOnly(404) },
  // Prometheus' own token has a test of its own (metrics.test.ts); this server has none set.
  { route: 'GET /metrics', method: 'GET', path: '/metrics', expect: supervisorUp(200) },
  { route: 'GET /docs', method: 'GET', path: '/docs', expect: engineerOnly(200) },
  { route: 'GET /docs/', method: 'GET', path: '/docs/', expect: engineerOnly(200) },
  { route: 'GET /docs/json', method: 'GET', path: '/docs/json', expect: engineerOnly(200) },
  { route: 'GET /docs/yaml', method: 'GET', path: '/docs/yaml', expect: engineerOnly(200) },
  { route: 'GET /docs/static/index.html', method: 'GET', path: '/docs/static/index.html',
    expect: engineerOnly(302) },
  { route: 'GET /docs/static/swagger-initializer.js', method: 'GET',
    path: '/docs/static/swagger-initializer.js', expect: engineerOnly(200) },
  { route: 'GET /docs/static/*', method: 'GET', path: '/docs/static/swagger-ui.css',
    expect: engineerOnly(200) },
  // Last: it signs the column out (anonymous and API keys have no session to end).
  { route: 'DELETE /api/session', method: 'DELETE', path: '/api/session',
                                                 expect: [204, 204, 204, 204, 204, 204, 204, 204] },
];

describe('the role matrix', { timeout: 60_000 }, () => {
  it('has a row in this table for every route the matrix lists', () => {
    const routeRows = TABLE.filter((row) => row.field === undefined).map((row) => row.route);
    expect(routeRows.sort()).toEqual(Object.keys(ROUTE_MATRIX).sort());
  });

  it('answers every route × anonymous and every role as the table says', async () => {
    const seen: string[] = [];
    const wanted: string[] = [];
    for (const row of TABLE) {
      for (const [column, who] of WHO.entries()) {
        const response = await fetch(`${server.baseUrl}${row.path}`, {
          method: row.method,
          redirect: 'manual',
          headers: {
            ...credentials[who],
            ...row.headers,
            ...(row.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(row.body === undefined ? {} : { body: JSON.stringify(row.body) }),
        });
        await response.arrayBuffer();
        seen.push(`${row.method} ${row.path} as ${who} → ${response.status}`);
        wanted.push(`${row.method} ${row.path} as ${who} → ${row.expect[column]}`);
      }
    }
    expect(seen).toEqual(wanted);
  });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.baseUrl}${path}`, { headers });
const errorOf = async (response: Response) => ((await response.json()) as ErrorResponse).error;

describe('answers', { timeout: 60_000 }, () => {
  it('say why: 401 sign in first, 403 naming the role and what it may not do', async () => {
    expect(await errorOf(await get(`/api/stations/${A}`))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Sign in first',
    });
    const atB = await server.signIn({ badge: TEST_DEMO_BADGE, stationId: B });
    expect(await errorOf(await get(`/api/stations/${A}`, { cookie: atB }))).toEqual({
      code: 'FORBIDDEN',
      message: 'Your role operator may not read another station',
    });
    const refused = await postFlashJob(server, atB, { stationId: A, slot: 1, imei: labelImei(1) });
    expect(refused).toEqual({
      status: 403,
      body: {
        error: {
          code: 'FORBIDDEN',
          message: 'Your role operator may not start flashes on another station',
        },
      },
    });
    const supervisor = await server.signIn('supervisor');
    expect(await errorOf(await get('/docs/json', { cookie: supervisor }))).toEqual({
      code: 'FORBIDDEN',
      message: 'Your role supervisor may not read the API documentation',
    });
  });

  it('show an operator only their own station in the list', async () => {
    const list = async (cookie: string) =>
      StationListResponse.parse(await (await get('/api/stations', { cookie })).json()).stations.map(
        (s) => s.stationId,
      );
    expect(await list(await server.signIn({ badge: TEST_DEMO_BADGE, stationId: A }))).toEqual([A]);
    // B is in the database but no agent runs it: the registry lists A alone.
    expect(await list(await server.signIn({ badge: TEST_DEMO_BADGE, stationId: B }))).toEqual([]);
    expect(await list(await server.signIn('operator'))).toEqual([]);
    expect(await list(await server.signIn('supervisor'))).toEqual([A]);
  });

  it('let an operator signed in at the station scan there (202)', async () => {
    const atA = await server.signIn({ badge: TEST_DEMO_BADGE, stationId: A });
    const scan = await postFlashJob(server, atA, { stationId: A, slot: 2, imei: labelImei(2) });
    expect(scan.status).toBe(202);
  });
});

describe('sign-in and sign-out', { timeout: 60_000 }, () => {
  const signInRaw = (body: unknown) =>
    fetch(`${server.baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('sets an httpOnly SameSite=Lax cookie for the session TTL and says who signed in', async () => {
    const response = await signInRaw({ username: 'Supervisor', password: TEST_DEMO_PASSWORD });
    expect(response.status).toBe(200);
    const session = SessionResponse.parse(await response.json());
    expect(session.user).toMatchObject({
      username: 'supervisor',
      role: 'supervisor',
      stationId: null,
    });
    const expires = Date.parse(session.expiresAt) - Date.now();
    expect(expires).toBeGreaterThan(server.env.SESSION_TTL_MS - 60_000);
    expect(expires).toBeLessThanOrEqual(server.env.SESSION_TTL_MS);
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(setCookie).toContain(`Max-Age=${server.env.SESSION_TTL_MS / 1000}`);
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).not.toContain('Secure'); // not production
    // Only the token's SHA-256 is stored.
    const token = setCookie!.split(';')[0]!.split('=')[1]!;
    expect(await server.db.prisma.session.count({ where: { id: token } })).toBe(0);
    expect(await server.db.prisma.session.count({ where: { id: sha256Hex(token) } })).toBe(1);
  });

  it('binds a badge session to its station', async () => {
    const response = await signInRaw({ badge: TEST_DEMO_BADGE, stationId: A });
    expect(SessionResponse.parse(await response.json()).user).toMatchObject({
      username: 'operator',
      role: 'operator',
      stationId: A,
    });
  });

  it('refuses bad credentials with 401 and no hint which part was wrong', async () => {
    const unknownUser = await signInRaw({ username: 'nobody', password: TEST_DEMO_PASSWORD });
    const wrongPassword = await signInRaw({ username: 'admin', password: 'not-the-password' });
    const expected = { code: 'BAD_CREDENTIALS', message: 'Unknown user or wrong password' };
    expect([unknownUser.status, wrongPassword.status]).toEqual([401, 401]);
    expect(await errorOf(unknownUser)).toEqual(expected);
    expect(await errorOf(wrongPassword)).toEqual(expected);
    expect(unknownUser.headers.getSetCookie()).toEqual([]);

    const badge = await signInRaw({ badge: '9999', stationId: A });
    expect(badge.status).toBe(401);
    expect(await errorOf(badge)).toEqual({ code: 'BAD_CREDENTIALS', message: 'Unknown badge' });
    const nowhere = await signInRaw({ badge: TEST_DEMO_BADGE, stationId: 'no-such-station' });
    expect(nowhere.status).toBe(404);
    const malformed = await signInRaw({ badge: '12', stationId: A });
    expect(malformed.status).toBe(400);
  });

  it('signs out: 204, the cookie cleared, the session revoked on the server', async () => {
    const cookie = await server.signIn('engineer');
    expect((await get('/api/session', { cookie })).status).toBe(200);
    const out = await fetch(`${server.baseUrl}/api/session`, {
      method: 'DELETE',
      headers: { cookie },
    });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(
      new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`),
    );
    // The old cookie, replayed, counts for nothing.
    expect((await get('/api/session', { cookie })).status).toBe(401);
    expect((await get('/api/stations', { cookie })).status).toBe(401);
  });

  it('ends an expired or revoked session', async () => {
    const expired = await server.signIn('admin');
    const revoked = await server.signIn('admin');
    const idOf = (cookie: string) => sha256Hex(cookie.split('=')[1]!);
    await server.db.prisma.session.update({
      where: { id: idOf(expired) },
      data: { expiresAt: new Date(Date.now() - 1000), createdAt: new Date(Date.now() - 5000) },
    });
    await server.db.prisma.session.update({
      where: { id: idOf(revoked) },
      data: { revokedAt: new Date() },
    });
    for (const cookie of [expired, revoked]) {
      expect((await get('/api/session', { cookie })).status).toBe(401);
      expect((await get('/api/stations', { cookie })).status).toBe(401);
    }
  });

  it('keeps a session across a server restart (sessions live in Postgres)', async () => {
    const cookie = await server.signIn('supervisor');
    await server.restart();
    expect((await get('/api/session', { cookie })).status).toBe(200);
  });

  it('limits sign-in attempts to the configured number per minute (429 RATE_LIMITED)', async () => {
    const limited = await startTestServer({ SIGN_IN_RATE_LIMIT: '10' });
    try {
      const attempt = () =>
        fetch(`${limited.baseUrl}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: 'guess' }),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await attempt()).status);
      expect(statuses).toEqual(Array(10).fill(401));
      const blocked = await attempt();
      expect(blocked.status).toBe(429);
      expect((await errorOf(blocked)).code).toBe('RATE_LIMITED');
      // Only sign-in is limited.
      expect((await fetch(`${limited.baseUrl}/api/health`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('socket.io', { timeout: 60_000 }, () => {
  type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
  const sockets: Client[] = [];
  afterAll(() => sockets.forEach((socket) => socket.disconnect()));
  const open = (options: { cookie?: string; token?: string }) => {
    const socket: Client = connect(server.baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}),
      ...(options.token ? { auth: { token: options.token } } : {}),
    });
    sockets.push(socket);
    return socket;
  };
  const connected = async (socket: Client) => {
    await waitFor('socket connection', () => socket.connected);
    return socket;
  };

  it('refuses a connection without a valid session or key (connect_error UNAUTHENTICATED)', async () => {
    for (const options of [{}, { cookie: `${SESSION_COOKIE}=forged` }, { token: 'fsk_forged' }]) {
      const socket = open(options);
      const errors: Error[] = [];
      socket.on('connect_error', (error) => errors.push(error));
      const error = await waitFor('connect_error', () => errors[0]);
      expect(error.message).toBe('UNAUTHENTICATED');
      expect(socket.connected).toBe(false);
    }
  });

  it('lets an operator watch their station only, and lists only it', async () => {
    const atA = await connected(
      open({ cookie: await server.signIn({ badge: TEST_DEMO_BADGE, stationId: A }) }),
    );
    const own = await atA.emitWithAck('station:watch', { v: 1, stationId: A });
    expect(own.ok).toBe(true);
    const snapshot = StationsSnapshot.parse(await atA.emitWithAck('stations:snapshot', { v: 1 }));
    expect(snapshot.stations.map((s) => s.stationId)).toEqual([A]);

    const atB = await connected(
      open({ cookie: await server.signIn({ badge: TEST_DEMO_BADGE, stationId: B }) }),
    );
    expect(await atB.emitWithAck('station:watch', { v: 1, stationId: A })).toEqual({
      v: 1,
      ok: false,
      error: 'Your role operator may not watch another station',
    });
    expect(
      StationsSnapshot.parse(await atB.emitWithAck('stations:snapshot', { v: 1 })).stations,
    ).toEqual([]);
  });

  it('lets a supervisor watch any station, and a script in with its API key', async () => {
    const supervisor = await connected(open({ cookie: await server.signIn('supervisor') }));
    expect((await supervisor.emitWithAck('station:watch', { v: 1, stationId: A })).ok).toBe(true);
    const script = await connected(open({ token: apiKey }));
    expect(
      StationsSnapshot.parse(await script.emitWithAck('stations:snapshot', { v: 1 })).stations,
    ).toHaveLength(1);
  });

  it('disconnects the sockets of a session that signs out', async () => {
    const cookie = await server.signIn('engineer');
    const socket = await connected(open({ cookie }));
    await fetch(`${server.baseUrl}/api/session`, { method: 'DELETE', headers: { cookie } });
    await waitFor('the signed-out socket disconnected', () => !socket.connected);
  });
});

describe('start-up', () => {
  it('fails when a registered route has no entry in the role matrix', async () => {
    const { 'GET /api/stations': _left, ...matrix } = ROUTE_MATRIX;
    const building = buildApp({
      logger: silentLogger,
      auth: await testAuth(server.db.prisma),
      matrix,
      registry: server.runtime.registry,
      probes: { postgres: async () => {}, redis: async () => {} },
      corsOrigins: [],
      docs: false,
      production: true,
      version: '0.0.0-test',
    });
    await expect(building).rejects.toThrow(UnguardedRouteError);
    await expect(building).rejects.toThrow(
      'Route GET /api/stations has no entry in the role matrix',
    );
  });
});
