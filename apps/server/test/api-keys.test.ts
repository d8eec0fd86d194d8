// Admins create and revoke API keys, against the real server runtime, Postgres, Redis and a
// socket.io client: the key shown once and working as its role and station, never stored or
// audited, the refusals, and revocation cutting requests and sockets at once. Nothing mocked.
import {
  ApiKeyListResponse,
  CreatedApiKeyResponse,
  type ClientToServerEvents,
  type ErrorResponse,
  type ServerToClientEvents,
} from '@station/contracts';
import { auditRepository, stationRepository } from '@station/db';
import { createLogger } from '@station/logger';
import { waitFor } from '@station/testkit';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/auth/secrets';
import { startTestServer, type TestServer } from './helpers';

const STATION = 'keys-jig';
const logLines: string[] = [];
let server: TestServer;
let admin: string;

beforeAll(async () => {
  const logger = createLogger({
    name: 'api-keys-test',
    level: 'debug',
    destination: { write: (line: string) => void logLines.push(line) },
  });
  server = await startTestServer({}, logger);
  await stationRepository.upsert(server.db.prisma, {
    code: STATION,
    name: 'Keys jig',
    slots: [{ index: 0, label: 'S1', powerControl: 'emulator' }],
  });
  admin = await server.signIn('admin');
}, 90_000);

afterAll(async () => {
  await server?.close();
}, 60_000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are parsed per test
type Json = any;
async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
}
const asAdmin = () => ({ cookie: admin });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const errorOf = (answer: { body: Json }) => (answer.body as ErrorResponse).error;

const create = async (body: object) => {
  const answer = await call('POST', '/api/api-keys', asAdmin(), body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return CreatedApiKeyResponse.parse(answer.body);
};
const list = async () =>
  ApiKeyListResponse.parse((await call('GET', '/api/api-keys', asAdmin())).body).apiKeys;

describe('API keys', { timeout: 60_000 }, () => {
  it('creates a key shown once, which works as its role and station; only its hash is kept', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const { apiKey, key } = await create({
      name: 'Kiosk script',
      role: 'operator',
      stationId: STATION,
      expiresAt,
    });
    expect(key).toMatch(/^fsk_[A-Za-z0-9_-]{32}$/);
    expect(apiKey).toMatchObject({
      name: 'Kiosk script',
      prefix: key.slice(0, 12),
      role: 'operator',
      stationId: STATION,
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    });

    const session = await call('GET', '/api/session', bearer(key));
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ role: 'operator', stationId: STATION });
    // Its own station passes the guard (404: no agent runs it); another is refused.
    expect((await call('GET', `/api/stations/${STATION}`, bearer(key))).status).toBe(404);
    expect((await call('GET', '/api/stations/elsewhere', bearer(key))).status).toBe(403);

    // Listed without the key, with its first use.
    const [listed] = await list();
    expect(listed).toMatchObject({ id: apiKey.id, prefix: key.slice(0, 12) });
    expect(listed!.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(await list())).not.toContain(key.slice(12));

    const row = await server.db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.keyHash).toBe(sha256Hex(key));
    expect(JSON.stringify(row)).not.toContain(key.slice(12));
    const [event] = (await auditRepository.list(server.db.prisma, { entityId: apiKey.id }))!;
    expect(event).toMatchObject({
      action: 'api_key.create',
      actorLabel: expect.stringMatching(/^user:/),
    });
    expect(event!.details).toEqual({
      after: {
        name: 'Kiosk script',
        prefix: key.slice(0, 12),
        role: 'operator',
        stationId: STATION,
        expiresAt,
      },
    });
    const audit = await server.db.prisma.auditEvent.findMany({ select: { details: true } });
    expect(JSON.stringify(audit)).not.toContain(key.slice(12));
    expect(logLines.join('\n')).not.toContain(key.slice(12));
  });

  it('refuses an admin key, a station on the wrong role, an unknown station and a past expiry', async () => {
    const refused = async (body: object, status: number, words: RegExp) => {
      const answer = await call('POST', '/api/api-keys', asAdmin(), { name: 'x', ...body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect(errorOf(answer).message).toMatch(words);
    };
    await refused({ role: 'admin' }, 400, /admin work needs a person signed in/);
    await refused({ role: 'operator' }, 400, /an operator key needs the station/);
    await refused({ role: 'engineer', stationId: STATION }, 400, /not bound to a station/);
    await refused({ role: 'operator', stationId: 'nowhere' }, 404, /Station nowhere is not known/);
    await refused(
      { role: 'engineer', expiresAt: '2020-01-01T00:00:00Z' },
      400,
      /expiresAt 2020-01-01T00:00:00Z has passed/,
    );
    expect(await server.db.prisma.apiKey.count({ where: { name: 'x' } })).toBe(0);
  });

  it('revokes a key: its requests are refused and its socket disconnected at once; audited', async () => {
    const { apiKey, key } = await create({ name: 'Line report', role: 'supervisor' });
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(server.baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: key },
    });
    try {
      await waitFor('the key’s socket connected', () => socket.connected);
      const revoked = await call('DELETE', `/api/api-keys/${apiKey.id}`, asAdmin());
      expect(revoked.status).toBe(204);
      await waitFor('the key’s socket disconnected', () => !socket.connected);
    } finally {
      socket.disconnect();
    }
    expect((await call('GET', '/api/session', bearer(key))).status).toBe(401);
    expect((await list()).find((k) => k.id === apiKey.id)?.revokedAt).not.toBeNull();

    const again = await call('DELETE', `/api/api-keys/${apiKey.id}`, asAdmin());
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('API_KEY_REVOKED');
    const unknown = await call(
      'DELETE',
      '/api/api-keys/00000000-0000-7000-8000-000000000000',
      asAdmin(),
    );
    expect(unknown.status).toBe(404);

    const events = (await auditRepository.list(server.db.prisma, {
      entityId: apiKey.id,
      action: 'api_key.revoke',
    }))!;
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({
      prefix: key.slice(0, 12),
      before: { revokedAt: null },
      after: { revokedAt: expect.any(String) },
    });
  });

  it('a key cannot manage people or keys, whatever its role', async () => {
    const { key } = await create({ name: 'Engineer script', role: 'engineer' });
    for (const [method, path] of [
      ['GET', '/api/users'],
      ['GET', '/api/api-keys'],
      ['POST', '/api/api-keys'],
    ] as const) {
      expect(
        (await call(method, path, bearer(key), method === 'POST' ? {} : undefined)).status,
      ).toBe(403);
    }
  });
});
