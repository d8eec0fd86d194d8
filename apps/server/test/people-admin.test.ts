// Admins manage people and see the stations' credentials, against the real server runtime,
// Postgres, Redis and socket.io clients: adding users (password, badge), the refusals, changes and
// their audit events, sessions and sockets ended by a disable or a new role or password, the guards
// that keep the line an admin, and no secret in the audit log or the server's log. Nothing mocked.
import { randomBytes } from 'node:crypto';
import {
  StationCredentialListResponse,
  UserListResponse,
  UserSummary,
  type ClientToServerEvents,
  type ErrorResponse,
  type ServerToClientEvents,
} from '@station/contracts';
import { apiKeyRepository, auditRepository, stationRepository } from '@station/db';
import { createLogger } from '@station/logger';
import { TEST_DEMO_BADGE, waitFor } from '@station/testkit';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/auth/secrets';
import { startTestServer, type TestServer } from './helpers';

const STATION = 'people-jig';
/** Every line the server logs, to look for secrets in. */
const logLines: string[] = [];
const secrets: string[] = [];
let server: TestServer;
let admin: string;
let adminId: string;

beforeAll(async () => {
  const logger = createLogger({
    name: 'people-admin-test',
    level: 'debug',
    destination: { write: (line: string) => void logLines.push(line) },
  });
  server = await startTestServer({}, logger);
  await stationRepository.upsert(server.db.prisma, {
    code: STATION,
    name: 'People jig',
    slots: [{ index: 0, label: 'S1', powerControl: 'emulator' }],
  });
  admin = await server.signIn('admin');
  adminId = (await call('GET', '/api/session', admin)).body.user.id;
}, 90_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
}, 60_000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are parsed per test
type Json = any;
async function call(method: string, path: string, cookie?: string, body?: unknown) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      ...(cookie
        ? cookie.startsWith('fsk_')
          ? { authorization: `Bearer ${cookie}` }
          : { cookie }
        : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
}
const errorOf = (answer: { body: Json }) => (answer.body as ErrorResponse).error;

/** A password nobody else uses, remembered to look for in the logs. */
const newPassword = () => {
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  secrets.push(password);
  return password;
};
let badgeSeq = 0;
const newBadge = () => {
  const badge = `${70_000_000 + (badgeSeq += 1) * 7919 + Math.floor(Math.random() * 1000)}`;
  secrets.push(badge);
  return badge;
};

const signInRaw = (body: unknown) => call('POST', '/api/session', undefined, body);
const addUser = async (user: Record<string, unknown>) => {
  const answer = await call('POST', '/api/users', admin, user);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return UserSummary.parse(answer.body);
};
const events = async (entityId: string, action: string) =>
  (await auditRepository.list(server.db.prisma, { entityId, action }))!;

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const sockets: Client[] = [];
async function openSocket(cookie: string): Promise<Client> {
  const socket: Client = connect(server.baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie },
  });
  sockets.push(socket);
  await waitFor('socket connected', () => socket.connected);
  return socket;
}

describe('adding people', { timeout: 60_000 }, () => {
  it('adds a user with a password and a badge: they sign in with either; audited without either', async () => {
    const password = newPassword();
    const badge = newBadge();
    const user = await addUser({
      username: ' Line.Lead ',
      displayName: 'Line lead',
      role: 'operator',
      password,
      badge,
    });
    expect(user).toMatchObject({
      username: 'line.lead',
      role: 'operator',
      disabled: false,
      hasPassword: true,
      hasBadge: true,
    });

    const listed = UserListResponse.parse((await call('GET', '/api/users', admin)).body).users;
    expect(listed.find((u) => u.id === user.id)).toEqual(user);
    expect(listed.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'operator']));
    // The answer holds exactly the summary: no hash, no lookup.
    const raw = (await call('GET', '/api/users', admin)).body.users[0] as object;
    expect(Object.keys(raw).sort()).toEqual(Object.keys(user).sort());

    expect((await signInRaw({ username: 'LINE.LEAD', password })).status).toBe(200);
    const atKiosk = await signInRaw({ badge, stationId: STATION });
    expect(atKiosk.status).toBe(200);
    expect(atKiosk.body.user).toMatchObject({ id: user.id, stationId: STATION });

    const [event] = await events(user.id, 'user.create');
    expect(event).toMatchObject({ actorId: adminId, actorLabel: `user:${adminId}` });
    expect(event!.details).toEqual({
      after: {
        username: 'line.lead',
        displayName: 'Line lead',
        role: 'operator',
        password: true,
        badge: true,
      },
    });
  });

  it('refuses a taken username or badge with 409 naming which, and bad input with 400', async () => {
    const taken = await call('POST', '/api/users', admin, {
      username: 'Operator',
      displayName: 'Second operator',
      role: 'operator',
      password: newPassword(),
    });
    expect(taken.status).toBe(409);
    expect(errorOf(taken)).toEqual({
      code: 'USERNAME_TAKEN',
      message: 'The username operator is taken',
    });
    const badge = await call('POST', '/api/users', admin, {
      username: 'badge-thief',
      displayName: 'Badge thief',
      role: 'operator',
      badge: TEST_DEMO_BADGE,
    });
    expect(badge.status).toBe(409);
    expect(errorOf(badge)).toEqual({
      code: 'BADGE_TAKEN',
      message: 'This badge is already enrolled for operator: remove it there first',
    });

    const bad = async (body: object, field: string, words: RegExp) => {
      const answer = await call('POST', '/api/users', admin, {
        username: 'new-user',
        displayName: 'New user',
        role: 'operator',
        ...body,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(errorOf(answer).message).toMatch(field);
      expect(errorOf(answer).message).toMatch(words);
    };
    await bad({ password: 'short-pw' }, 'password', /at least 12 characters/);
    await bad({ password: 'x'.repeat(201) }, 'password', /at most 200/);
    await bad({}, 'password', /a password, a badge or both/);
    await bad({ badge: '12a4' }, 'badge', /.+/);
    await bad({ username: 'two words', password: newPassword() }, 'username', /letters, digits/);
    await bad({ role: 'root', password: newPassword() }, 'role', /.+/);
    // Nothing was added by any of them.
    expect(await server.db.prisma.user.count({ where: { username: 'new-user' } })).toBe(0);
    expect(await server.db.prisma.user.count({ where: { username: 'badge-thief' } })).toBe(0);
  });
});

describe('changing people', { timeout: 60_000 }, () => {
  it('renames, audited with before and after of what changed only; the same again changes nothing', async () => {
    const user = await addUser({
      username: 'renamed',
      displayName: 'Old name',
      role: 'supervisor',
      password: newPassword(),
    });
    const renamed = await call('PATCH', `/api/users/${user.id}`, admin, {
      displayName: 'New name',
      role: 'supervisor',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ displayName: 'New name', role: 'supervisor' });
    const [event] = await events(user.id, 'user.update');
    expect(event).toMatchObject({ actorId: adminId });
    expect(event!.details).toEqual({
      before: { displayName: 'Old name' },
      after: { displayName: 'New name' },
    });
    await call('PATCH', `/api/users/${user.id}`, admin, { displayName: 'New name' });
    expect(await events(user.id, 'user.update')).toHaveLength(1);
  });

  it('a new role ends their sessions and disconnects their sockets', async () => {
    const password = newPassword();
    const user = await addUser({
      username: 'promoted',
      displayName: 'P',
      role: 'operator',
      password,
    });
    const cookie = await server.signIn({ username: 'promoted', password });
    const socket = await openSocket(cookie);
    const answer = await call('PATCH', `/api/users/${user.id}`, admin, { role: 'engineer' });
    expect(answer.status).toBe(200);
    await waitFor('the promoted user’s socket disconnected', () => !socket.connected);
    expect((await call('GET', '/api/session', cookie)).status).toBe(401);
    // Signing in again gives the new role.
    const again = await signInRaw({ username: 'promoted', password });
    expect(again.body.user.role).toBe('engineer');
    const [event] = await events(user.id, 'user.update');
    expect(event!.details).toEqual({
      before: { role: 'operator' },
      after: { role: 'engineer' },
      sessionsEnded: 1,
    });
  });

  it('a new password ends their sessions; the old one stops working; audited as changed only', async () => {
    const old = newPassword();
    const user = await addUser({
      username: 'forgetful',
      displayName: 'F',
      role: 'engineer',
      password: old,
    });
    const cookie = await server.signIn({ username: 'forgetful', password: old });
    const next = newPassword();
    expect((await call('PATCH', `/api/users/${user.id}`, admin, { password: next })).status).toBe(
      200,
    );
    expect((await call('GET', '/api/session', cookie)).status).toBe(401);
    expect((await signInRaw({ username: 'forgetful', password: old })).status).toBe(401);
    expect((await signInRaw({ username: 'forgetful', password: next })).status).toBe(200);
    const [event] = await events(user.id, 'user.update');
    expect(event!.details).toEqual({
      before: {},
      after: {},
      password: { changed: true },
      sessionsEnded: 1,
    });
  });

  it('replaces and removes a badge; refuses one enrolled for someone else and leaving no way in', async () => {
    const first = newBadge();
    const user = await addUser({
      username: 'badged',
      displayName: 'B',
      role: 'operator',
      badge: first,
    });
    const taken = await call('PATCH', `/api/users/${user.id}`, admin, { badge: TEST_DEMO_BADGE });
    expect(taken.status).toBe(409);
    expect(errorOf(taken).code).toBe('BADGE_TAKEN');
    // Only a badge: removing it would leave no way to sign in.
    const stranded = await call('PATCH', `/api/users/${user.id}`, admin, { badge: null });
    expect(stranded.status).toBe(409);
    expect(errorOf(stranded)).toEqual({
      code: 'NO_SIGN_IN_LEFT',
      message: 'Without a badge badged could not sign in: set a password first',
    });

    const second = newBadge();
    const replaced = await call('PATCH', `/api/users/${user.id}`, admin, { badge: second });
    expect(replaced.status).toBe(200);
    expect((await signInRaw({ badge: first, stationId: STATION })).status).toBe(401);
    expect((await signInRaw({ badge: second, stationId: STATION })).status).toBe(200);
    const removed = await call('PATCH', `/api/users/${user.id}`, admin, {
      badge: null,
      password: newPassword(),
    });
    expect(removed.body).toMatchObject({ hasBadge: false, hasPassword: true });
    expect((await signInRaw({ badge: second, stationId: STATION })).status).toBe(401);
    const [latest] = await events(user.id, 'user.update');
    expect(latest!.details).toMatchObject({
      password: { changed: true },
      badge: { changed: true, enrolled: false },
    });
  });

  it('disabling ends their sessions at once, sends their screens away and refuses sign-in', async () => {
    const badge = newBadge();
    const user = await addUser({ username: 'leaver', displayName: 'L', role: 'operator', badge });
    const cookie = await server.signIn({ badge, stationId: STATION });
    const socket = await openSocket(cookie);
    const disabled = await call('PATCH', `/api/users/${user.id}`, admin, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    await waitFor('the disabled user’s socket disconnected', () => !socket.connected);
    expect((await call('GET', '/api/session', cookie)).status).toBe(401);
    expect((await signInRaw({ badge, stationId: STATION })).status).toBe(401);
    const [event] = await events(user.id, 'user.update');
    expect(event!.details).toEqual({
      before: { disabled: false },
      after: { disabled: true },
      sessionsEnded: 1,
    });
    // Enabled again: they sign in anew; the old session stays ended.
    await call('PATCH', `/api/users/${user.id}`, admin, { disabled: false });
    expect((await signInRaw({ badge, stationId: STATION })).status).toBe(200);
    expect((await call('GET', '/api/session', cookie)).status).toBe(401);
  });

  it('answers 404 for an unknown user, 400 for a malformed id or an empty change', async () => {
    const unknown = await call('PATCH', '/api/users/00000000-0000-7000-8000-000000000001', admin, {
      displayName: 'x',
    });
    expect(unknown.status).toBe(404);
    expect((await call('PATCH', '/api/users/admin', admin, { displayName: 'x' })).status).toBe(400);
    const empty = await call('PATCH', `/api/users/${adminId}`, admin, {});
    expect(empty.status).toBe(400);
    expect(errorOf(empty).message).toMatch(/at least one of/);
  });
});

describe('stations for admins', { timeout: 60_000 }, () => {
  it('lists every known station with whether it holds a credential and since when, never a secret', async () => {
    const created = await call('POST', '/api/stations', admin, {
      stationId: 'people-new',
      name: 'New jig',
    });
    expect(created.status).toBe(201);
    secrets.push(created.body.secret as string);
    const list = async () =>
      StationCredentialListResponse.parse(
        (await call('GET', '/api/station-credentials', admin)).body,
      ).stations;
    const listed = await list();
    expect(listed.map((s) => s.stationId)).toEqual([STATION, 'people-new']);
    expect(listed[1]).toMatchObject({
      name: 'New jig',
      credentialIssuedAt: created.body.issuedAt,
      connected: false,
    });
    // Known from a registration only: no credential.
    expect(listed[0]!.credentialIssuedAt).toBeNull();
    expect((await call('DELETE', '/api/stations/people-new/credential', admin)).status).toBe(204);
    expect((await list())[1]!.credentialIssuedAt).toBeNull();
  });
});

describe('the line keeps an admin', { timeout: 60_000 }, () => {
  it('an admin may not disable or demote themselves (409), and keeps their own session on a new password', async () => {
    const other = await server.signIn('admin');
    for (const change of [{ disabled: true }, { role: 'engineer' }]) {
      const answer = await call('PATCH', `/api/users/${adminId}`, admin, change);
      expect(answer.status).toBe(409);
      expect(errorOf(answer).code).toBe('SELF_LOCKOUT');
    }
    expect(
      errorOf(await call('PATCH', `/api/users/${adminId}`, admin, { disabled: true })),
    ).toEqual({ code: 'SELF_LOCKOUT', message: 'You cannot disable yourself: another admin can' });
    const password = newPassword();
    expect((await call('PATCH', `/api/users/${adminId}`, admin, { password })).status).toBe(200);
    // This session goes on; the admin's other one has ended.
    expect((await call('GET', '/api/session', admin)).status).toBe(200);
    expect((await call('GET', '/api/session', other)).status).toBe(401);
    admin = await server.signIn({ username: 'admin', password });
  });

  it('nobody removes the last admin: not even a key with the admin role made outside the API', async () => {
    const key = `fsk_${randomBytes(24).toString('base64url')}`;
    secrets.push(key);
    await apiKeyRepository.create(server.db.prisma, {
      name: 'legacy admin script',
      prefix: key.slice(0, 12),
      keyHash: sha256Hex(key),
      role: 'admin',
    });
    const answer = await call('PATCH', `/api/users/${adminId}`, key, { disabled: true });
    expect(answer.status).toBe(409);
    expect(errorOf(answer)).toEqual({
      code: 'LAST_ADMIN',
      message: 'admin is the last admin: make someone else admin first',
    });
    // The key is named in the log of what it did change.
    const renamed = await call('PATCH', `/api/users/${adminId}`, key, { displayName: 'Root' });
    expect(renamed.status).toBe(200);
    const [event] = await events(adminId, 'user.update');
    expect(event).toMatchObject({ actorId: null, actorLabel: `api-key:${key.slice(0, 12)}` });
  });

  it('two admins demoting each other at once: one wins, one admin is left', async () => {
    const passwords = [newPassword(), newPassword()];
    const [x, y] = await Promise.all(
      ['admin-x', 'admin-y'].map((username, i) =>
        addUser({ username, displayName: username, role: 'admin', password: passwords[i] }),
      ),
    );
    const asX = await server.signIn({ username: 'admin-x', password: passwords[0]! });
    const asY = await server.signIn({ username: 'admin-y', password: passwords[1]! });
    // The first admin steps down, so x and y are the only two.
    expect((await call('PATCH', `/api/users/${adminId}`, asX, { role: 'engineer' })).status).toBe(
      200,
    );
    const answers = await Promise.all([
      call('PATCH', `/api/users/${y!.id}`, asX, { role: 'supervisor' }),
      call('PATCH', `/api/users/${x!.id}`, asY, { role: 'supervisor' }),
    ]);
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((s) => s === 200),
      JSON.stringify(answers),
    ).toHaveLength(1);
    // The loser was refused as the last admin, or had lost its session (and role) already.
    expect(statuses.filter((s) => s === 409 || s === 401)).toHaveLength(1);
    expect(await server.db.prisma.user.count({ where: { role: 'admin', disabledAt: null } })).toBe(
      1,
    );
  });
});

describe('secrets', () => {
  it('no password, badge or key is in any audit event or log line', async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const audit = JSON.stringify(
      await server.db.prisma.auditEvent.findMany({ select: { details: true } }),
    );
    const log = logLines.join('\n');
    expect(log).toContain('incoming request'); // the log was captured
    // Nor what is stored for them.
    const stored = await server.db.prisma.user.findMany();
    const hashes = stored.flatMap((u) => [u.passwordHash, u.badgeLookup]).filter((h) => h !== null);
    for (const secret of [...secrets, ...hashes]) {
      expect(audit).not.toContain(secret);
      expect(log).not.toContain(secret);
    }
  });
});
