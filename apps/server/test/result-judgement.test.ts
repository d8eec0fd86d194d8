// What the server decides about a stored result (issue #9 §1, §2), on real Postgres (own
// database), real Redis (own prefix) and the station's real BullMQ queue: the recorder is handed
// the station's signed result entries as its stream reader hands them (the stream itself is
// result-path.test.ts's subject). A failure the retry policy retries opens one linked attempt in
// the transaction that stores it, whose signed job reaches the queue; a replayed result never
// opens a second; a verify mismatch is never retried; power retries stop at RETRY_POWER_MAX; a
// slot turns suspect on the result that decides it, and nothing is retried there afterwards; a
// noisy slot whose modules pass only after baud retries turns suspect on the third module's first
// failure, which is then not retried there and not held against the module; a retry Redis will
// not take is settled and shown.
import {
  flashQueueName,
  FlashRunPayload,
  stationConfirmedKey,
  type FlashResultEvent,
  type StationResultMessage,
} from '@station/contracts';
import { DEFAULT_ATTRIBUTION_THRESHOLDS } from '@station/db';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import { createRedis } from '@station/runtime';
import { deleteKeys, freePort, uniqueImei, uniquePrefix, waitFor } from '@station/testkit';
import { openMessage, type SignedMessage } from '@station/trust';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueueFlashJob } from '../src/flash/enqueue-flash-job';
import { FlashQueues } from '../src/flash/flash-queues';
import { FlashResultRecorder } from '../src/flash/result-recorder';
import type { StationKeyring } from '../src/stations/station-keyring';
import { issueTestCredential, loadTestKeyring, silentLogger } from './helpers';
import {
  openTestAttempt,
  passedResultMessage,
  seedStationRecord,
  type SeededStation,
} from './result-fixtures';

const STATION = 'judged-1';
let db: TestDatabase;
let redis: Redis;
let producer: Redis;
let prefix: string;
let signingKey: string;
let keyring: StationKeyring;
let queues: FlashQueues;
let recorder: FlashResultRecorder;
let seed: SeededStation;
/** What the screens were told, per test. */
const events: FlashResultEvent[] = [];
let entryNumber = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = uniquePrefix('judgement');
  redis = createRedis('redis://127.0.0.1:6379', silentLogger, 'test');
  producer = createRedis('redis://127.0.0.1:6379', silentLogger, 'test-producer', {
    forBullMq: true,
  });
  signingKey = (await issueTestCredential(db.prisma, prefix, STATION)).signingKey;
  keyring = await loadTestKeyring(db.prisma, redis, prefix);
  queues = new FlashQueues({ connection: producer, prefix, logger: silentLogger });
  seed = await seedStationRecord(db.prisma, STATION, 5);
  recorder = new FlashResultRecorder({
    prisma: db.prisma,
    redis,
    prefix,
    logger: silentLogger,
    sign: (stationId, confirmation) => keyring.sign(stationId, 'confirm', confirmation),
    emit: (event) => events.push(event),
    judgement: {
      retry: { powerMax: 2, baudFloor: 115200 },
      thresholds: DEFAULT_ATTRIBUTION_THRESHOLDS,
    },
    enqueue: (payload) =>
      enqueueFlashJob({ prisma: db.prisma, queues, keyring, logger: silentLogger }, payload),
  });
});

beforeEach(() => {
  events.length = 0;
});

afterAll(async () => {
  await queues?.close();
  producer?.disconnect();
  redis?.disconnect();
  await db?.drop();
  await deleteKeys(prefix);
});

const open = (slot: number, imei?: string) => openTestAttempt(db.prisma, seed, slot, imei);

/** A PASS as the station reports it. */
const message = (attemptId: string, slot: number, imei: string) =>
  passedResultMessage(STATION, attemptId, slot, imei);

/** Hands the recorder an entry as the stream reader does (signature checked, parsed). */
const publish = (m: StationResultMessage) =>
  recorder.handle(
    {
      stationId: STATION,
      stream: 'results',
      id: `1-${(entryNumber += 1)}`,
      message: m,
      claimed: false,
    },
    new AbortController().signal,
  );

/** The confirmation the station would read, signed with its key. */
const confirmed = async (attemptId: string) => {
  const raw = await redis.hget(stationConfirmedKey(prefix, STATION), attemptId);
  if (raw === null) return null;
  const opened = openMessage(signingKey, 'confirm', JSON.parse(raw) as SignedMessage);
  if (!opened.ok) throw new Error(`confirmation not signed by the server: ${opened.reason}`);
  return opened.message as { stored: boolean };
};

/** The signed job the server queued for an attempt, as the station opens it; null when none. */
async function queuedJob(attemptId: string): Promise<FlashRunPayload | null> {
  const queue = new Queue(flashQueueName(STATION), { connection: producer, prefix });
  try {
    const job = await queue.getJob(attemptId);
    if (!job) return null;
    const opened = openMessage(signingKey, 'job', job.data as SignedMessage);
    if (!opened.ok) throw new Error(`job not signed with the station's key: ${opened.reason}`);
    return FlashRunPayload.parse(opened.message);
  } finally {
    await queue.close();
  }
}

/** A failed result as the station reports it. */
const failedAt = (
  attemptId: string,
  slot: number,
  imei: string,
  error: { errorCode: number; errorName: string; stage: 'baud' | 'verify' | 'brom' },
  baud: 921600 | 460800 | 115200 = 921600,
): StationResultMessage => {
  const m = message(attemptId, slot, imei);
  m.result = {
    ...m.result,
    ...error,
    outcome: 'failed',
    baud,
    revisionAfter: null,
    retryable: true,
  };
  return m;
};

const BAUD_CHANGE = {
  errorCode: 4006,
  errorName: 'S_FT_CHANGE_BAUDRATE_FAIL',
  stage: 'baud',
} as const;

describe('retries', () => {
  it('retry a line error at the next lower baud as a linked attempt, queued once however often the result comes', async () => {
    const imei = uniqueImei();
    const attempt = await open(3, imei);
    await publish(failedAt(attempt.id, 3, imei, BAUD_CHANGE));
    await waitFor('the failure shown', () => events.length === 1);
    const retry = await db.prisma.flashAttempt.findFirstOrThrow({
      where: { retryOfId: attempt.id },
    });
    expect(retry).toMatchObject({
      outcome: 'running',
      baud: 460800,
      slotId: seed.slotIds[2],
      moduleId: attempt.moduleId,
      packageId: seed.packageId,
    });
    expect(events[0]).toMatchObject({
      attemptId: attempt.id,
      outcome: 'failed',
      retryOfId: null,
      retry: { attemptId: retry.id, baud: 460800, reason: 'baud' },
    });
    expect(events[0]!.decisions).toBeUndefined();
    expect(await waitFor('the retry queued', () => queuedJob(retry.id))).toMatchObject({
      attemptId: retry.id,
      stationId: STATION,
      slot: 3,
      imei,
      baud: 460800,
      retryOf: attempt.id,
      packageSha256: 'a'.repeat(64),
    });
    // Delivered again (the station missed the confirmation): no second retry, no second job.
    await publish(failedAt(attempt.id, 3, imei, BAUD_CHANGE));
    expect(await confirmed(attempt.id)).toMatchObject({ stored: true });
    expect(await db.prisma.flashAttempt.count({ where: { retryOfId: attempt.id } })).toBe(1);
    expect(await db.prisma.flashAttempt.count({ where: { moduleId: attempt.moduleId } })).toBe(2);
    expect(events).toHaveLength(1);
    // The retry's own result carries the link; it passed, so nothing more is opened.
    await publish({
      ...message(retry.id, 3, imei),
      result: { ...message(retry.id, 3, imei).result, baud: 460800 },
    });
    await waitFor('the retry shown', () => events.length === 2);
    expect(events[1]).toMatchObject({
      attemptId: retry.id,
      outcome: 'passed',
      retryOfId: attempt.id,
      retry: null,
    });
    expect(await db.prisma.flashAttempt.count({ where: { moduleId: attempt.moduleId } })).toBe(2);
  });

  it('never retry a verify mismatch: the failure stands, no attempt is opened', async () => {
    const imei = uniqueImei();
    const attempt = await open(4, imei);
    await publish(
      failedAt(attempt.id, 4, imei, {
        errorCode: 4009,
        errorName: 'S_FT_DOWNLOAD_CHKSUM_MISMATCH',
        stage: 'verify',
      }),
    );
    await waitFor('the failure shown', () => events.length === 1);
    expect(events[0]).toMatchObject({ attemptId: attempt.id, outcome: 'failed', retry: null });
    expect(await db.prisma.flashAttempt.count({ where: { retryOfId: attempt.id } })).toBe(0);
    expect(await queuedJob(attempt.id)).toBeNull();
  });

  it('re-prompt power after a handshake timeout up to RETRY_POWER_MAX, then stop', async () => {
    const imei = uniqueImei();
    let attempt = await open(1, imei);
    const timeout = {
      errorCode: 2006,
      errorName: 'S_BROM_CMD_STARTCMD_TIMEOUT',
      stage: 'brom',
    } as const;
    const chain = [attempt.id];
    for (let round = 1; round <= 3; round += 1) {
      await publish(failedAt(attempt.id, 1, imei, timeout));
      await waitFor(`failure ${round} shown`, () => events.length === round);
      const next = await db.prisma.flashAttempt.findFirst({ where: { retryOfId: attempt.id } });
      if (round < 3) {
        expect(events[round - 1]).toMatchObject({
          retry: { attemptId: next!.id, baud: 921600, reason: 'power' },
        });
        attempt = next!;
        chain.push(attempt.id);
      } else {
        expect(next).toBeNull();
        expect(events[round - 1]).toMatchObject({ attemptId: attempt.id, retry: null });
      }
    }
    expect(chain).toHaveLength(3);
  });
});

describe('attribution on the result path', () => {
  it('marks a slot suspect in the transaction that stores the third module’s failure, and retries nothing there', async () => {
    // Neighbours pass with the same package…
    for (const slot of [1, 2, 3]) {
      const imei = uniqueImei();
      const attempt = await open(slot, imei);
      await publish(message(attempt.id, slot, imei));
      await waitFor(`pass in slot ${slot}`, () => events.find((e) => e.attemptId === attempt.id));
    }
    // …while three different modules lose their adapter in slot 4 (a jig fault, never retried).
    const unplugged = {
      errorCode: 9001,
      errorName: 'FS_PORT_DISCONNECTED',
      stage: 'brom',
    } as const;
    const failed: string[] = [];
    for (let n = 0; n < 3; n += 1) {
      const imei = uniqueImei();
      const attempt = await open(4, imei);
      failed.push(attempt.id);
      await publish(failedAt(attempt.id, 4, imei, unplugged));
      await waitFor(`failure ${n + 1}`, () => events.find((e) => e.attemptId === attempt.id));
    }
    const decided = events.find((e) => e.attemptId === failed[2]);
    expect(decided).toMatchObject({
      retry: null,
      decisions: [
        {
          kind: 'slot.suspect',
          subject: `${STATION}/4`,
          reason: expect.stringMatching(
            /^3 different modules failed here \(FS_PORT_DISCONNECTED\)/,
          ),
          evidence: failed,
        },
      ],
    });
    for (const id of failed.slice(0, 2))
      expect(events.find((e) => e.attemptId === id)?.decisions).toBeUndefined();
    expect(
      await db.prisma.slot.findUniqueOrThrow({ where: { id: seed.slotIds[3] } }),
    ).toMatchObject({ status: 'suspect', statusReason: decided!.decisions![0]!.reason });
    // An attempt still running in the slot when it turned suspect fails a baud switch: no retry.
    const late = await db.prisma.flashAttempt.create({
      data: {
        module: { create: { imei: uniqueImei() } },
        station: { connect: { id: seed.stationId } },
        slot: { connect: { id: seed.slotIds[3] } },
        package: { connect: { id: seed.packageId } },
        baud: 921600,
      },
      include: { module: true },
    });
    await publish(failedAt(late.id, 4, late.module.imei, BAUD_CHANGE));
    await waitFor('the late failure', () => events.find((e) => e.attemptId === late.id));
    expect(events.find((e) => e.attemptId === late.id)).toMatchObject({ retry: null });
    expect(await db.prisma.flashAttempt.count({ where: { retryOfId: late.id } })).toBe(0);
  });
});

describe('a noisy slot whose modules pass only after baud retries', () => {
  it('turns suspect on the third module’s first failure, which is retried nowhere and blamed on nobody else', async () => {
    const NOISY = 5;
    const evidence: string[] = [];
    /** A module's chain as the noisy slot runs it: fails at 921600 and 460800, passes at 115200. */
    const rescued = async () => {
      const imei = uniqueImei();
      const first = await open(NOISY, imei);
      evidence.push(first.id);
      await publish(failedAt(first.id, NOISY, imei, BAUD_CHANGE, 921600));
      const atFull = await waitFor('the failure at 921600', () =>
        events.find((e) => e.attemptId === first.id),
      );
      expect(atFull).toMatchObject({ retry: { baud: 460800, reason: 'baud' } });
      expect(atFull.decisions).toBeUndefined();
      const second = atFull.retry!.attemptId;
      evidence.push(second);
      await publish(failedAt(second, NOISY, imei, BAUD_CHANGE, 460800));
      const atHalf = await waitFor('the failure at 460800', () =>
        events.find((e) => e.attemptId === second),
      );
      expect(atHalf).toMatchObject({ retry: { baud: 115200, reason: 'baud' } });
      expect(atHalf.decisions).toBeUndefined();
      const third = atHalf.retry!.attemptId;
      const pass = message(third, NOISY, imei);
      await publish({ ...pass, result: { ...pass.result, baud: 115200 } });
      expect(
        await waitFor('the pass at 115200', () => events.find((e) => e.attemptId === third)),
      ).toMatchObject({ outcome: 'passed', retryOfId: second });
    };
    await rescued();
    // The neighbours pass first time with the same package meanwhile.
    for (const slot of [1, 2, 3]) {
      const imei = uniqueImei();
      const attempt = await open(slot, imei);
      await publish(message(attempt.id, slot, imei));
      await waitFor(`pass in slot ${slot}`, () => events.find((e) => e.attemptId === attempt.id));
    }
    await rescued();
    expect(
      (await db.prisma.slot.findUniqueOrThrow({ where: { id: seed.slotIds[NOISY - 1] } })).status,
    ).toBe('active');

    const imei = uniqueImei();
    const third = await open(NOISY, imei);
    evidence.push(third.id);
    await publish(failedAt(third.id, NOISY, imei, BAUD_CHANGE, 921600));
    const decided = await waitFor('the third module’s failure', () =>
      events.find((e) => e.attemptId === third.id),
    );
    expect(decided).toMatchObject({
      outcome: 'failed',
      retry: null,
      decisions: [
        {
          kind: 'slot.suspect',
          subject: `${STATION}/${NOISY}`,
          reason: expect.stringMatching(
            /^3 different modules failed here \(S_FT_CHANGE_BAUDRATE_FAIL\) in its last 7 attempts, retries included,/,
          ),
          evidence,
        },
      ],
    });
    // Not retried in the suspect slot: its chain ends, and the failure is the slot's evidence.
    expect(await db.prisma.flashAttempt.count({ where: { retryOfId: third.id } })).toBe(0);
    expect(await queuedJob(third.id)).toBeNull();
    expect(
      await db.prisma.module.findUniqueOrThrow({ where: { id: third.moduleId } }),
    ).toMatchObject({ status: 'failed' });
    expect(await db.prisma.attributionDecision.count({ where: { moduleId: third.moduleId } })).toBe(
      0,
    );
  });
});

describe('a retry Redis will not take', () => {
  it('is settled like any unqueued attempt (QUEUE_UNAVAILABLE) and shown so; the slot is free', async () => {
    // The producer side talks to a Redis nobody listens on: the job cannot be queued.
    const nowhere = createRedis(`redis://127.0.0.1:${await freePort()}`, silentLogger, 'nowhere', {
      forBullMq: true,
    });
    const deadQueues = new FlashQueues({ connection: nowhere, prefix, logger: silentLogger });
    const stranded = new FlashResultRecorder({
      prisma: db.prisma,
      redis,
      prefix,
      logger: silentLogger,
      sign: (stationId, confirmation) => keyring.sign(stationId, 'confirm', confirmation),
      emit: (event) => events.push(event),
      judgement: {
        retry: { powerMax: 2, baudFloor: 115200 },
        thresholds: DEFAULT_ATTRIBUTION_THRESHOLDS,
      },
      enqueue: (payload) =>
        enqueueFlashJob(
          { prisma: db.prisma, queues: deadQueues, keyring, logger: silentLogger },
          payload,
        ),
    });
    try {
      const imei = uniqueImei();
      const attempt = await open(2, imei);
      await stranded.handle(
        {
          stationId: STATION,
          stream: 'results',
          id: `1-${(entryNumber += 1)}`,
          message: failedAt(attempt.id, 2, imei, BAUD_CHANGE),
          claimed: false,
        },
        new AbortController().signal,
      );
      const retryId = events[0]?.retry?.attemptId;
      expect(events).toEqual([
        expect.objectContaining({
          attemptId: attempt.id,
          retry: expect.objectContaining({ baud: 460800 }),
        }),
        expect.objectContaining({
          attemptId: retryId,
          outcome: 'interrupted',
          errorName: 'QUEUE_UNAVAILABLE',
          retryOfId: attempt.id,
        }),
      ]);
      expect(
        await db.prisma.flashAttempt.count({ where: { slotId: seed.slotIds[1], endedAt: null } }),
      ).toBe(0);
    } finally {
      await deadQueues.close().catch(() => {});
      nowhere.disconnect();
    }
  });
});
