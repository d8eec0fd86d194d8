// Station credentials end to end, as an admin and an attacker on the line network would meet
// them: the real server runtime, Postgres, Redis (ACL users) and the real station agent.
// Nothing is mocked.
import {
  flashQueueName,
  stationResultsStream,
  type StationCredentialResponse,
} from '@station/contracts';
import { auditRepository } from '@station/db';
import { spawnApp, uniqueImei, waitFor, type StationApp } from '@station/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFlashJob, startTestServer, type TestServer } from './helpers';

let server: TestServer;
let admin: string;
const agents: StationApp[] = [];

beforeAll(async () => {
  server = await startTestServer({ STATION_KEYS_REFRESH_MS: '500' });
  admin = await server.signIn('admin');
}, 60_000);

afterAll(async () => {
  for (const agent of agents) await agent.dispose();
  await server?.close();
}, 60_000);

const post = async (path: string, body?: unknown, method = 'POST') => {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { cookie: admin, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
};

const startAgent = async (stationId: string, secret: string) => {
  const agent = await spawnApp('station', {
    STATION_ID: stationId,
    REDIS_PREFIX: server.env.REDIS_PREFIX,
    EMULATOR_SLOTS: '2',
    STATION_SECRET: secret,
  });
  agents.push(agent);
  return agent;
};

const connected = (stationId: string) => server.runtime.registry.get(stationId)?.connected;

describe('station credentials', { timeout: 120_000 }, () => {
  it('an admin creates a station and its secret, shown once; the station joins the line with it', async () => {
    const created = await post('/api/stations', { stationId: 'cred-1', name: 'Line 1, jig 1' });
    expect(created.status).toBe(201);
    const credential = created.body as StationCredentialResponse;
    expect(credential).toMatchObject({
      stationId: 'cred-1',
      name: 'Line 1, jig 1',
      redisUser: `${server.env.REDIS_PREFIX}:station:cred-1`,
    });
    expect(credential.secret).toMatch(/^fss_/);
    // Not again: a second create is refused, naming the rotation.
    const again = await post('/api/stations', { stationId: 'cred-1' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'STATION_EXISTS' } } });

    await startAgent('cred-1', credential.secret);
    await waitFor('cred-1 connected', () => connected('cred-1'));
    // The record keeps no secret: neither the row nor the audit event holds it.
    const row = await server.db.prisma.station.findUniqueOrThrow({ where: { code: 'cred-1' } });
    expect(JSON.stringify(row)).not.toContain(credential.secret.slice(4));
    expect(row.name).toBe('Line 1, jig 1');
    const [event] = (await auditRepository.list(server.db.prisma, { action: 'station.create' }))!;
    expect(event).toMatchObject({ entityId: row.id, actorLabel: expect.stringMatching(/^user:/) });
    expect(JSON.stringify(event?.details)).not.toContain(credential.secret.slice(4));
  });

  it('a station with a wrong secret is refused by Redis and never appears', async () => {
    await post('/api/stations', { stationId: 'cred-2' });
    const agent = await spawnApp(
      'station',
      {
        STATION_ID: 'cred-2',
        REDIS_PREFIX: server.env.REDIS_PREFIX,
        EMULATOR_SLOTS: '1',
        STATION_SECRET: `fss_${'A'.repeat(43)}`,
      },
      { waitUntilReady: false },
    );
    agents.push(agent);
    const exit = await agent.current.exited;
    expect(exit.code).toBe(1);
    expect(agent.current.output()).toMatch(/cred-2/);
    expect(connected('cred-2')).toBeFalsy();
  });

  it('a forged job on a station queue is not flashed; a rotated secret locks the old agent out', async () => {
    const created = (await post('/api/stations', { stationId: 'cred-3' }))
      .body as StationCredentialResponse;
    const agent = await startAgent('cred-3', created.secret);
    await waitFor('cred-3 connected', () => connected('cred-3'));
    // An attacker with Redis access (here: the servers' own rights) adds an unsigned job.
    const attacker = new Redis(server.env.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(flashQueueName('cred-3'), {
      connection: attacker,
      prefix: server.env.REDIS_PREFIX,
    });
    const imei = uniqueImei();
    const job = await queue.add('flash.run', {
      v: 1,
      attemptId: 'forged-attempt',
      stationId: 'cred-3',
      slot: 1,
      imei,
      packageId: 'demo',
      packageSha256: 'a'.repeat(64),
      baud: 921600,
      retryOf: null,
    });
    await waitFor('forged job refused', async () => (await job.getState()) === 'failed');
    expect((await queue.getJob(job.id!))?.failedReason).toMatch(/not signed/);
    expect(await server.db.prisma.flashAttempt.count()).toBe(0);
    expect(
      await server.runtime.redis.xlen(stationResultsStream(server.env.REDIS_PREFIX, 'cred-3')),
    ).toBe(0);
    await queue.close();
    attacker.disconnect();
    expect(agent.current.output()).toMatch(/refused/);

    // Rotation: the running agent holds the old secret and is cut off; a scan to it is refused
    // once it is gone, and a new agent with the new secret is believed.
    const rotated = await post('/api/stations/cred-3/credential');
    expect(rotated.status).toBe(201);
    const next = rotated.body as StationCredentialResponse;
    expect(next.secret).not.toBe(created.secret);
    await waitFor('old agent gone', () => connected('cred-3') === false, { timeoutMs: 20_000 });
    // Locked out of Redis, it cannot say goodbye: the line PC would be re-provisioned anyway.
    await agent.kill();
    await startAgent('cred-3', next.secret);
    await waitFor('new agent connected', () => connected('cred-3'));
  });

  it('a revoked station is disconnected and no scan reaches it', async () => {
    const created = (await post('/api/stations', { stationId: 'cred-4' }))
      .body as StationCredentialResponse;
    await startAgent('cred-4', created.secret);
    await waitFor('cred-4 connected', () => connected('cred-4'));
    expect((await post('/api/stations/cred-4/credential', undefined, 'DELETE')).status).toBe(204);
    await waitFor('cred-4 gone', () => connected('cred-4') === false, { timeoutMs: 20_000 });
    const scan = await postFlashJob(server, admin, {
      stationId: 'cred-4',
      slot: 1,
      imei: uniqueImei(),
    });
    expect(scan).toMatchObject({ status: 409, body: { error: { code: 'STATION_UNTRUSTED' } } });
    const actions = (await auditRepository.list(server.db.prisma, { entityType: 'station' }))!.map(
      (e) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'station.create',
        'station.credential.rotate',
        'station.credential.revoke',
      ]),
    );
  });
});
