// The station control queue as the server consumes it. Real: BullMQ on Redis (unique prefix),
// the registry with its real store (Postgres test database + Redis hash). The Postgres-outage
// case uses a real client pointed at a port where nothing listens. Nothing is mocked.
import { createPrismaClient, stationRepository } from '@station/db';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import {
  STATION_CONTROL_QUEUE,
  StationRegisterJob,
  StationUnregisterJob,
  type StationRegistration,
  type StationStatus,
} from '@station/contracts';
import { Queue, type Job, type Worker } from 'bullmq';
import { createRedis, waitUntilReady } from '@station/runtime';
import { deleteKeys, LOCAL_REDIS_URL, uniquePrefix, waitFor } from '@station/testkit';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStationControlWorker } from '../src/stations/station-control.worker';
import { createStationStore } from '../src/stations/station.store';
import { StationRegistry } from '../src/stations/station-registry.service';
import { silentLogger } from './helpers';

const REDIS_URL = LOCAL_REDIS_URL;
let db: TestDatabase;
let prefix: string;
let redis: Redis;
let workerRedis: Redis;
let queue: Queue;
let worker: Worker | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

const registration = (bootId: string): StationRegistration => ({
  v: 1,
  stationId: 'ctl-1',
  bootId,
  hostname: 'jig-pc-7',
  version: '0.1.0',
  startedAt: new Date().toISOString(),
  slots: [
    { slot: 1, port: '/dev/serial/by-path/a', adapter: 'usb-serial:FT1', power: 'dtr' },
    { slot: 2, port: '/dev/serial/by-path/b', adapter: 'usb-path:pci-0:2:1.0', power: 'dtr' },
  ],
});

function startWorker(registry: StationRegistry): void {
  worker = createStationControlWorker({
    connection: workerRedis,
    prefix,
    registry,
    logger: silentLogger,
  });
}

const settled = (job: Job) =>
  waitFor(`job ${job.name} to settle`, async () => {
    const state = await job.getState();
    return ['completed', 'failed', 'delayed'].includes(state) && state;
  });

beforeEach(async () => {
  db = await createTestDatabase();
  prefix = uniquePrefix('control');
  redis = createRedis(REDIS_URL, silentLogger, 'control-test');
  workerRedis = createRedis(REDIS_URL, silentLogger, 'control-test-worker', { forBullMq: true });
  await waitUntilReady(redis);
  queue = new Queue(STATION_CONTROL_QUEUE, { connection: redis, prefix });
});

afterEach(async () => {
  await worker?.close();
  worker = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await queue.close();
  await deleteKeys(prefix);
  await Promise.all([redis.quit(), workerRedis.quit()]);
  await db.drop();
});

describe('station control worker', () => {
  it('registers, persists, and honours only the goodbye of the current boot', async () => {
    const registry = new StationRegistry(
      createStationStore({ prisma: db.prisma, redis, prefix }),
      silentLogger,
    );
    const updates: StationStatus[] = [];
    registry.on('update', (station) => updates.push(station));
    startWorker(registry);

    const add = (name: string, data: object) => queue.add(name, data);
    expect(await settled(await add(StationRegisterJob.name, registration('boot-1')))).toBe(
      'completed',
    );
    expect(registry.get('ctl-1')).toMatchObject({ connected: true, hostname: 'jig-pc-7' });
    const persisted = await stationRepository.findByCode(db.prisma, 'ctl-1');
    expect(
      persisted?.slots.map((s) => [s.label, s.powerControl, s.currentAdapter?.identity]),
    ).toEqual([
      ['slot-01', 'dtr', 'usb-serial:FT1'],
      ['slot-02', 'dtr', 'usb-path:pci-0:2:1.0'],
    ]);
    expect(persisted?.slots[0]?.currentAdapter?.serialNumber).toBe('FT1');

    const goodbye = (bootId: string) => ({ v: 1, stationId: 'ctl-1', bootId, reason: 'shutdown' });
    // A late goodbye from an earlier boot must not hide the running agent.
    await settled(await add(StationUnregisterJob.name, goodbye('boot-0')));
    expect(registry.get('ctl-1')?.connected).toBe(true);
    await settled(await add(StationUnregisterJob.name, goodbye('boot-1')));
    expect(registry.get('ctl-1')?.connected).toBe(false);
    expect(updates.map((s) => s.connected)).toEqual([true, false]);
  });

  it('fails a malformed or unknown job once, without retries, naming the problem', async () => {
    const registry = new StationRegistry(
      createStationStore({ prisma: db.prisma, redis, prefix }),
      silentLogger,
    );
    startWorker(registry);
    const bad = await queue.add(
      StationRegisterJob.name,
      { ...registration('boot-1'), slots: [] },
      StationRegisterJob.defaults,
    );
    const unknown = await queue.add('station.explode', {}, { attempts: 3 });
    expect(await settled(bad)).toBe('failed');
    expect(await settled(unknown)).toBe('failed');
    const [badJob, unknownJob] = await Promise.all([
      queue.getJob(bad.id!),
      queue.getJob(unknown.id!),
    ]);
    expect(badJob?.attemptsMade).toBe(1);
    expect(badJob?.failedReason).toMatch(/^invalid station\.register payload: .*slots/s);
    expect(unknownJob?.attemptsMade).toBe(1);
    expect(unknownJob?.failedReason).toBe('unknown station control job "station.explode"');
    expect(registry.list()).toEqual([]);
  });

  it('shows a station during a Postgres outage and keeps retrying the persist', async () => {
    const deadPrisma = createPrismaClient('postgresql://postgres@127.0.0.1:1/flashstation');
    cleanups.push(() => deadPrisma.$disconnect());
    const registry = new StationRegistry(
      createStationStore({ prisma: deadPrisma, redis, prefix }),
      silentLogger,
    );
    startWorker(registry);
    const job = await queue.add(
      StationRegisterJob.name,
      registration('boot-1'),
      StationRegisterJob.defaults,
    );
    expect(await settled(job)).toBe('delayed'); // failed attempt, retry scheduled with backoff
    expect(registry.get('ctl-1')?.connected).toBe(true);
    const retried = await queue.getJob(job.id!);
    expect(retried?.attemptsMade).toBe(1);
    // The store's transaction names the outage in one sentence, not Prisma's text.
    expect(retried?.failedReason).toMatch(/^Postgres is not reachable at 127\.0\.0\.1:1 /);
  });
});
