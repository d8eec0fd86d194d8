// Storing flash results: a Postgres outage while a result arrives (the database really refuses
// connections, then comes back), a result that can never be stored, a job failed as stalled, and
// the start-up reconcile of attempts whose BullMQ job ended while the server was away. Real
// Postgres (own database) and Redis (own prefix); the test plays the station with a BullMQ Worker.
import {
  attemptRepository,
  createPrismaClient,
  moduleRepository,
  stationRepository,
  type PrismaClient,
} from '@station/db';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import {
  flashQueueName,
  imeiCheckDigit,
  type FlashResultEvent,
  type FlashRunResult,
} from '@station/contracts';
import { createLogger } from '@station/logger';
import { createRedis } from '@station/runtime';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertFirmwarePackage } from '../src/services/firmware-package.store';
import { FlashQueues } from '../src/services/flash-queues';
import { reconcileOpenAttempts } from '../src/services/flash-reconcile';
import { FlashResultRecorder } from '../src/services/flash-results.service';
import { deleteKeys, silentLogger, uniquePrefix, waitFor } from './helpers';

const body = '86135903424242';
const IMEI = body + imeiCheckDigit(body);
let db: TestDatabase;
let admin: PrismaClient;
let seed: { stationId: string; slotIds: string[]; packageId: string; moduleId: string };

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger({
    name: 'results-test',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

function recorderWith(prisma: PrismaClient, logger = silentLogger, firstDelayMs = 50) {
  const results: FlashResultEvent[] = [];
  const recorder = new FlashResultRecorder({
    prisma,
    logger,
    sink: { progress: () => {}, result: (event) => results.push(event) },
    retry: { attempts: 6, firstDelayMs },
  });
  return { recorder, results };
}

const openAttempt = async (slot: number) => {
  const attempt = await attemptRepository.open(db.prisma, {
    moduleId: seed.moduleId,
    stationId: seed.stationId,
    slotId: seed.slotIds[slot - 1]!,
    packageId: seed.packageId,
  });
  await db.prisma.flashAttempt.update({ where: { id: attempt.id }, data: { jobId: attempt.id } });
  return attempt.id;
};

const passed = (attemptId: string): FlashRunResult => ({
  v: 1,
  attemptId,
  outcome: 'passed',
  errorCode: null,
  errorName: null,
  stage: 'postflight',
  retryable: false,
  stageTimings: { preflight: 40, write: 900, postflight: 30 },
  baud: 921600,
  bytesWritten: 4096,
  revisionBefore: 'MC60CAR01A10',
  revisionAfter: 'MC60CAR01A13',
  imeiRead: IMEI,
  operatorHint: null,
  engineerHint: null,
  message: null,
});

const setConnections = (allow: boolean) =>
  admin.$executeRawUnsafe(
    `ALTER DATABASE "${new URL(db.url).pathname.slice(1)}" ALLOW_CONNECTIONS ${allow}`,
  );

beforeAll(async () => {
  db = await createTestDatabase();
  admin = createPrismaClient('postgresql://postgres@127.0.0.1:5432/postgres');
  const { station } = await stationRepository.upsert(db.prisma, {
    code: 'res-1',
    name: 'res-1',
    slots: [1, 2, 3].map((n) => ({ index: n - 1, label: `slot-0${n}` })),
  });
  const pkg = await upsertFirmwarePackage(db.prisma, {
    packageId: 'demo-MC60CAR01A13',
    digest: 'a'.repeat(64),
    revision: 'MC60CAR01A13',
    platform: 'MT6261',
  });
  const module = await moduleRepository.upsertByImei(db.prisma, IMEI);
  seed = {
    stationId: station.id,
    slotIds: station.slots.map((s) => s.id),
    packageId: pkg.id,
    moduleId: module.id,
  };
});

afterAll(async () => {
  await setConnections(true).catch(() => {});
  await admin.$disconnect();
  await db.drop();
});

describe('flash results', () => {
  it('waits out a Postgres outage: nothing is shown until the result is stored', async () => {
    const attemptId = await openAttempt(1);
    const recorderPrisma = createPrismaClient(db.url);
    const { logger, lines } = capture();
    const { recorder, results } = recorderWith(recorderPrisma, logger);
    try {
      await setConnections(false);
      await admin.$executeRawUnsafe(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${new URL(db.url).pathname.slice(1)}' AND pid <> pg_backend_pid()`,
      );
      const recording = recorder.recordCompleted(attemptId, JSON.stringify(passed(attemptId)));
      await waitFor('a failed commit', () =>
        lines.some((l) => l.msg === 'storing flash result failed: retrying'),
      );
      expect(results).toEqual([]);
      await setConnections(true);
      await recording;
      expect(results).toEqual([
        expect.objectContaining({ attemptId, outcome: 'passed', revisionAfter: 'MC60CAR01A13' }),
      ]);
      const stored = await db.prisma.flashAttempt.findUniqueOrThrow({ where: { id: attemptId } });
      expect(stored).toMatchObject({
        outcome: 'passed',
        stageReached: 'postflight',
        revisionBefore: 'MC60CAR01A10',
        revisionAfter: 'MC60CAR01A13',
        reportedImei: IMEI,
        stageTimings: { preflight: 40, write: 900, postflight: 30 },
      });
      const module = await db.prisma.module.findUniqueOrThrow({ where: { imei: IMEI } });
      expect(module).toMatchObject({ status: 'passed', currentRevision: 'MC60CAR01A13' });
    } finally {
      await setConnections(true);
      await recorderPrisma.$disconnect();
    }
  });

  it('logs at error level and shows nothing when a result can never be stored', async () => {
    const dead = createPrismaClient('postgresql://postgres@127.0.0.1:1/flashstation');
    const { logger, lines } = capture();
    const { recorder, results } = recorderWith(dead, logger, 5);
    try {
      await recorder.recordCompleted('0190b2c4-0000-7000-8000-000000000000', passed('x'));
      expect(results).toEqual([]);
      expect(lines.filter((l) => l.level === 50).map((l) => l.msg)).toEqual([
        'flash result could not be stored: not shown',
      ]);
    } finally {
      await dead.$disconnect();
    }
  });

  it('records a job failed as stalled as interrupted, leaving the module status alone', async () => {
    const attemptId = await openAttempt(2);
    const { recorder, results } = recorderWith(db.prisma);
    await recorder.recordFailed(attemptId, 'job stalled more than allowable limit');
    expect(results).toEqual([
      expect.objectContaining({ attemptId, outcome: 'interrupted', slot: 2, imei: IMEI }),
    ]);
    expect(results[0]!.operatorHint).toMatch(/flash the module again/);
    const stored = await db.prisma.flashAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(stored).toMatchObject({
      outcome: 'interrupted',
      errorMessage: 'job stalled more than allowable limit',
    });
    expect(stored.endedAt).not.toBeNull();
  });

  it('finishes at start-up an attempt whose job completed while the server was away', async () => {
    const prefix = uniquePrefix('reconcile');
    const attemptId = await openAttempt(3);
    const queues = new FlashQueues({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix,
      logger: silentLogger,
      onWatch: () => {},
    });
    const connection = createRedis('redis://127.0.0.1:6379', silentLogger, 'station', {
      forBullMq: true,
    });
    const station = new Worker(flashQueueName('res-1'), async (job) => passed(job.id!), {
      connection,
      prefix,
    });
    try {
      const job = await queues.queue('res-1').add('flash.run', {}, { jobId: attemptId });
      await waitFor('job completed', async () => (await job.getState()) === 'completed');
      const { recorder, results } = recorderWith(db.prisma);
      expect(
        await reconcileOpenAttempts({ prisma: db.prisma, queues, recorder, logger: silentLogger }),
      ).toBe(1);
      expect(results).toEqual([expect.objectContaining({ attemptId, outcome: 'passed', slot: 3 })]);
      const stored = await db.prisma.flashAttempt.findUniqueOrThrow({ where: { id: attemptId } });
      expect(stored.outcome).toBe('passed');
      // A second start finds nothing left to settle.
      expect(
        await reconcileOpenAttempts({ prisma: db.prisma, queues, recorder, logger: silentLogger }),
      ).toBe(0);
    } finally {
      await station.close();
      connection.disconnect();
      await queues.close();
      await deleteKeys(prefix);
    }
  });
});
