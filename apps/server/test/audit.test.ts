// The audit log through the real server runtime, Postgres and Redis: first start records each
// user it creates; sign-ins, failed sign-ins and sign-outs are recorded without any secret;
// GET /api/audit-events filters and pages newest first, for supervisors and above; and the rows
// cannot be changed even on the server's own database connection. Nothing is mocked.
import {
  AuditEventsResponse,
  type AuditEvent,
  type ErrorResponse,
  type Role,
} from '@station/contracts';
import { stationRepository } from '@station/db';
import { TEST_DEMO_BADGE, TEST_DEMO_PASSWORD } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

const STATION = 'audit-a';

let server: TestServer;
let admin: string;

beforeAll(async () => {
  server = await startTestServer();
  // Known to the database only: a badge sign-in needs the station, not its agent.
  await stationRepository.upsert(server.db.prisma, {
    code: STATION,
    name: 'Audit jig',
    slots: [{ index: 0, label: 'S1', powerControl: 'emulator' }],
  });
  admin = await server.signIn('admin');
}, 90_000);

afterAll(async () => {
  await server?.close();
}, 60_000);

const get = (path: string, cookie?: string) =>
  fetch(`${server.baseUrl}${path}`, { headers: cookie ? { cookie } : {} });

/** One page of the log as `cookie` (the admin by default) sees it. */
async function events(query: string, cookie = admin): Promise<AuditEventsResponse> {
  const response = await get(`/api/audit-events?${query}`, cookie);
  expect(response.status, await response.clone().text()).toBe(200);
  return AuditEventsResponse.parse(await response.json());
}

const signInRaw = (body: unknown) =>
  fetch(`${server.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const userId = async (username: Role) =>
  (await server.db.prisma.user.findUniqueOrThrow({ where: { username } })).id;

/** Every secret the database holds for the demo users, and the ones the tests send. */
async function secrets(): Promise<string[]> {
  const users = await server.db.prisma.user.findMany();
  return [
    TEST_DEMO_PASSWORD,
    ...users.flatMap((u) => [u.passwordHash, u.badgeLookup]).filter((s): s is string => !!s),
  ];
}

describe('first start', { timeout: 60_000 }, () => {
  it('records each user it creates, by the system, with no password, hash or badge', async () => {
    const created = (await events('action=user.create&limit=200')).events;
    expect(
      created.map((e) => e.details?.after).sort((a, b) => name(a).localeCompare(name(b))),
    ).toEqual(
      (['admin', 'engineer', 'operator', 'supervisor'] as const).map((role) => ({
        username: role,
        displayName: expect.any(String),
        role,
        password: true,
        badge: role === 'operator',
      })),
    );
    for (const event of created) {
      expect(event).toMatchObject({ actorLabel: 'system', actorId: null, entityType: 'user' });
      expect(event.entityId).toBe(await userId((event.details!.after as { role: Role }).role));
    }
    const text = JSON.stringify(created);
    for (const secret of await secrets()) expect(text).not.toContain(secret);
  });

  it('records nothing again when a restarted server finds the users there', async () => {
    await server.restart();
    admin = await server.signIn('admin');
    expect((await events('action=user.create&limit=200')).events).toHaveLength(4);
  });
});

const name = (after: unknown) => (after as { username: string }).username;

describe('sessions', { timeout: 60_000 }, () => {
  it('records a password sign-in and its sign-out once, as the user', async () => {
    const engineer = await userId('engineer');
    const before = (await events('limit=1')).events[0]!.id;
    const cookie = await server.signIn('engineer');
    const out = () =>
      fetch(`${server.baseUrl}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect((await out()).status).toBe(204);
    // Replayed: the session is already revoked, nothing changes, nothing is recorded.
    expect((await out()).status).toBe(204);

    const mine = (await events(`entityType=user&entityId=${engineer}`)).events.filter(
      (e) => BigInt(e.id) > BigInt(before),
    );
    expect(mine.map((e) => e.action)).toEqual(['session.sign_out', 'session.sign_in']);
    for (const event of mine) {
      expect(event).toMatchObject({ actorId: engineer, actorLabel: `user:${engineer}` });
    }
    expect(mine[1]!.details).toMatchObject({
      before: { signedIn: false },
      after: { signedIn: true, via: 'password', stationId: null },
    });
    expect(mine[0]!.details).toEqual({ before: { signedIn: true }, after: { signedIn: false } });
    expect(JSON.stringify(mine)).not.toContain(cookie.split('=')[1]);
  });

  it('records a badge sign-in with its station', async () => {
    await server.signIn({ badge: TEST_DEMO_BADGE, stationId: STATION });
    const [latest] = (await events(`action=session.sign_in&entityId=${await userId('operator')}`))
      .events;
    expect(latest!.details).toMatchObject({ after: { via: 'badge', stationId: STATION } });
  });

  it('records failed sign-ins with the username or station, never the password or badge', async () => {
    const wrongPassword = 'not-the-password-7731';
    const unknownBadge = '98765432';
    expect((await signInRaw({ username: 'Admin', password: wrongPassword })).status).toBe(401);
    expect((await signInRaw({ username: 'nobody', password: wrongPassword })).status).toBe(401);
    expect((await signInRaw({ badge: unknownBadge, stationId: STATION })).status).toBe(401);

    const failed = (await events('action=session.sign_in_failed&limit=3')).events;
    expect(failed.map((e) => [e.entityId, e.actorLabel, e.actorId, e.details])).toEqual([
      [null, 'anonymous', null, { attempt: { via: 'badge', stationId: STATION } }],
      [null, 'anonymous', null, { attempt: { via: 'password', username: 'nobody' } }],
      [
        await userId('admin'),
        'anonymous',
        null,
        { attempt: { via: 'password', username: 'admin' } },
      ],
    ]);
    const text = JSON.stringify(failed);
    expect(text).not.toContain(wrongPassword);
    expect(text).not.toContain(unknownBadge);
  });
});

describe('GET /api/audit-events', { timeout: 60_000 }, () => {
  const errorOf = async (response: Response) => ((await response.json()) as ErrorResponse).error;

  it('pages newest first: following nextBefore gives the whole log once, in order', async () => {
    const all = (await events('limit=200')).events;
    expect(all.length).toBeGreaterThan(5);
    expect(all.length).toBeLessThan(200);
    const ids = all.map((e) => BigInt(e.id));
    // Newest first: this log is written one event at a time, so ids fall with time.
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));

    const paged: AuditEvent[] = [];
    let query = 'limit=2';
    for (let pages = 0; pages < 200; pages++) {
      const page = await events(query);
      paged.push(...page.events);
      if (page.nextBefore === null) break;
      expect(page.events).toHaveLength(2);
      query = `limit=2&before=${page.nextBefore}`;
    }
    expect(paged).toEqual(all);
  });

  it('filters by entity and action', async () => {
    const admin = await userId('admin');
    const about = (await events(`entityType=user&entityId=${admin}&limit=200`)).events;
    expect(about.length).toBeGreaterThan(1);
    expect(about.every((e) => e.entityType === 'user' && e.entityId === admin)).toBe(true);
    expect(about.map((e) => e.action)).toContain('user.create');
    expect((await events('entityType=nothing')).events).toEqual([]);
  });

  it('refuses a bad limit or cursor (400) and a cursor that names no event (404)', async () => {
    for (const query of ['limit=0', 'limit=201', 'limit=ten', 'before=abc', 'before=0']) {
      const response = await get(`/api/audit-events?${query}`, admin);
      expect(response.status, query).toBe(400);
      expect((await errorOf(response)).code).toBe('VALIDATION_FAILED');
    }
    const unknown = await get('/api/audit-events?before=999999999999', admin);
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toEqual({
      code: 'NOT_FOUND',
      message: 'No audit event 999999999999 is known',
    });
  });

  it('answers supervisors and above; operators 403, nobody 401', async () => {
    expect((await get('/api/audit-events')).status).toBe(401);
    const operator = await server.signIn({ badge: TEST_DEMO_BADGE, stationId: STATION });
    const refused = await get('/api/audit-events', operator);
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toEqual({
      code: 'FORBIDDEN',
      message: 'Your role operator may not read the audit log',
    });
    for (const role of ['supervisor', 'engineer'] as const) {
      expect((await get('/api/audit-events', await server.signIn(role))).status).toBe(200);
    }
  });
});

describe('append-only', () => {
  it("refuses to change or remove events on the server's own database role", async () => {
    const before = await server.db.prisma.auditEvent.count();
    await expect(server.db.prisma.auditEvent.deleteMany()).rejects.toThrow(
      'audit_events is append-only: DELETE is refused',
    );
    await expect(
      server.db.prisma.auditEvent.updateMany({ data: { actorLabel: 'someone-else' } }),
    ).rejects.toThrow('audit_events is append-only: UPDATE is refused');
    await expect(server.db.prisma.$executeRawUnsafe('TRUNCATE audit_events')).rejects.toThrow(
      /audit_events is append-only: TRUNCATE is refused/,
    );
    expect(await server.db.prisma.auditEvent.count()).toBe(before);
  });
});
