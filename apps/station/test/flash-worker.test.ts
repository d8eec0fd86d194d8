// The agent's flash worker against real parts: real Redis (unique prefix), a real BullMQ Queue as
// the producer the server is, the real SerialTransport on socat pseudo-terminals, the journal on a
// real file, and the emulated jig as the only stand-in (no physical MC60 is attached). The test
// reads the station's result and progress streams the way the server does. Firmware is synthetic.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  FlashRunJob,
  StationProgressMessage,
  StationResultMessage,
  STREAM_MESSAGE_FIELD,
  flashQueueName,
  stationConfirmedKey,
  stationProgressStream,
  stationResultsStream,
  type FlashRunPayload,
} from '@station/contracts';
import { createVirtualJig, type ModuleState, type VirtualJig } from '@station/emulator';
import { createLogger } from '@station/logger';
import { tempDir, testRedisPrefix, waitFor, waitForEvent, type TempDir } from '@station/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PACKAGE_ID, DEMO_REVISION, ensureDemoFirmware } from '../src/jobs/firmware-store';
import {
  startFlashWorker,
  type FlashWorker,
  type FlashWorkerOptions,
} from '../src/jobs/flash-worker';
import { createProgressPublisher } from '../src/jobs/progress-publisher';
import { StationJournal } from '../src/journal/journal';
import { ResultOutbox } from '../src/journal/result-outbox';

const OLD_REVISION = 'MC60CAR01A03';
const redisPrefix = testRedisPrefix('flash-worker');
const { prefix, url: REDIS_URL } = redisPrefix;
const stationId = `st-${randomBytes(3).toString('hex')}`;
const logger = createLogger({ name: 'test', level: 'silent', destination: new Writable() });

let dir: TempDir;
let jig: VirtualJig;
let worker: FlashWorker;
let workerOptions: FlashWorkerOptions;
let journal: StationJournal;
let outbox: ResultOutbox;
let redis: Redis;
let queue: Queue;
let digest: string;

beforeAll(async () => {
  dir = await tempDir('flash-worker');
  const firmwareDir = dir.join('firmware');
  const daFile = join(firmwareDir, 'mt6261_da.bin');
  ({ digest } = await ensureDemoFirmware(firmwareDir, daFile));
  jig = await createVirtualJig({
    slots: [
      { slot: 1, revision: OLD_REVISION },
      { slot: 2, revision: OLD_REVISION },
    ],
    dir: dir.join('jig'),
    pacing: false,
  });
  redis = new Redis(REDIS_URL);
  queue = new Queue(flashQueueName(stationId), { connection: redis, prefix });
  journal = await StationJournal.open(dir.join('journal.jsonl'));
  outbox = new ResultOutbox({ redis, journal, prefix, stationId, logger, confirmPollMs: 50 });
  outbox.start();
  workerOptions = {
    stationId,
    bootId: 'boot-1',
    slots: jig.slots.map((s) => ({
      slot: s.slot,
      path: s.path,
      power: { kind: 'emulator', controlAddress: jig.controlAddress, slot: s.slot },
    })),
    redisUrl: REDIS_URL,
    prefix,
    firmwareDir,
    daFile,
    logger,
    journal,
    outbox,
    publishProgress: createProgressPublisher({ redis, prefix, stationId, logger }),
    // Every packet's progress, so the write stage's percent sequence can be checked in full
    // (the 5-per-second throttle is tested in src/jobs/progress-throttle.test.ts).
    progressIntervalMs: 0,
  };
  worker = await startFlashWorker(workerOptions);
});

afterAll(async () => {
  await worker?.close();
  await outbox?.stop();
  await journal?.close();
  await queue?.obliterate({ force: true }).catch(() => {});
  await queue?.close();
  await redis?.quit();
  await jig?.close();
  await dir?.dispose();
  await redisPrefix.dispose();
});

/** Every message on one of the station's streams, oldest first. */
async function streamMessages(key: string): Promise<unknown[]> {
  const entries = await redis.xrange(key, '-', '+');
  return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf(STREAM_MESSAGE_FIELD) + 1]!));
}

const resultsOn = async () =>
  (await streamMessages(stationResultsStream(prefix, stationId))).map((m) =>
    StationResultMessage.parse(m),
  );
const progressOf = async (attemptId: string) =>
  (await streamMessages(stationProgressStream(prefix, stationId)))
    .map((m) => StationProgressMessage.parse(m))
    .filter((m) => m.attemptId === attemptId);

/** The published result of one attempt, waiting up to `timeoutMs` for it. */
const resultOf = (attemptId: string, timeoutMs = 25_000) =>
  waitFor(
    `the result of ${attemptId} on the results stream`,
    async () => (await resultsOn()).find((m) => m.result.attemptId === attemptId),
    { timeoutMs },
  );

async function flash(payload: FlashRunPayload) {
  const job = await queue.add(FlashRunJob.name, payload, FlashRunJob.defaults);
  const message = await resultOf(payload.attemptId);
  return { job, message, result: message.result };
}

const payloadFor = (slot: number, overrides: Partial<FlashRunPayload> = {}): FlashRunPayload => ({
  v: 1,
  attemptId: `attempt-${randomBytes(4).toString('hex')}`,
  stationId,
  slot,
  imei: jig.slots[slot - 1]!.imei,
  packageId: DEMO_PACKAGE_ID,
  packageSha256: digest,
  baud: 921600,
  retryOf: null,
  ...overrides,
});

/** Records a slot module's state changes while `work` runs. */
async function watchStates<T>(slot: number, work: () => Promise<T>) {
  const module = jig.slots[slot - 1]!.module;
  const states: ModuleState[] = [];
  const onState = (state: ModuleState) => states.push(state);
  module.on('state', onState);
  try {
    return { value: await work(), states };
  } finally {
    module.off('state', onState);
  }
}

const revisionOf = (slot: number) => jig.status().find((s) => s.slot === slot)?.revision;

describe('flash worker', () => {
  it('flashes slot 1: journals, publishes progress and a passed result, completes the job', async () => {
    const payload = payloadFor(1);
    const { job, message, result } = await flash(payload);
    expect(message).toMatchObject({ stationId, bootId: 'boot-1', slot: 1, imei: payload.imei });
    expect(result).toMatchObject({
      outcome: 'passed',
      errorCode: null,
      errorName: null,
      stage: 'postflight',
      retryable: false,
      baud: 921600,
      revisionBefore: OLD_REVISION,
      revisionAfter: DEMO_REVISION,
      imeiRead: jig.slots[0]!.imei,
    });
    expect(result.bytesWritten).toBeGreaterThan(96 * 1024);
    expect(Object.keys(result.stageTimings)).toEqual(
      expect.arrayContaining(['preflight', 'brom', 'da_upload', 'write', 'verify', 'postflight']),
    );
    expect(revisionOf(1)).toBe(DEMO_REVISION);

    const written = (await progressOf(payload.attemptId))
      .filter((p) => p.stage === 'write')
      .map((p) => p.percent);
    expect(written.length).toBeGreaterThan(2);
    expect(written).toEqual([...written].sort((a, b) => a - b));
    expect(written.at(-1)).toBeGreaterThan(written[0]!);
    await expect.poll(() => job.getState()).toBe('completed');
    // Journaled before the job completed; forgotten only once the server confirms it.
    expect(journal.isUnconfirmed(payload.attemptId)).toBe(true);
    await redis.hset(
      stationConfirmedKey(prefix, stationId),
      payload.attemptId,
      JSON.stringify({ v: 1, stored: true, at: new Date().toISOString() }),
    );
    await expect.poll(() => journal.isUnconfirmed(payload.attemptId)).toBe(false);
    expect(await redis.hexists(stationConfirmedKey(prefix, stationId), payload.attemptId)).toBe(0);
  });

  it('refuses a package whose digest differs from the job, writing nothing', async () => {
    const payload = payloadFor(2, { packageSha256: 'f'.repeat(64) });
    const { value, states } = await watchStates(2, () => flash(payload));
    expect(value.result).toMatchObject({
      outcome: 'failed',
      errorCode: 9302,
      errorName: 'FS_PACKAGE_MISMATCH',
      stage: 'package',
      retryable: false,
      bytesWritten: 0,
      revisionAfter: null,
    });
    expect(states).toEqual([]);
    expect(revisionOf(2)).toBe(OLD_REVISION);
    expect(await progressOf(payload.attemptId)).toEqual([]);
  });

  it('names a package that is not on the station as a package error', async () => {
    const { result } = await flash(payloadFor(2, { packageId: 'MC60CAR01A99' }));
    expect(result).toMatchObject({
      outcome: 'failed',
      errorName: 'S_FT_INVALID_CFG_FILE',
      stage: 'package',
      bytesWritten: 0,
    });
    expect(revisionOf(2)).toBe(OLD_REVISION);
  });

  it('runs two jobs for the same slot one after the other', async () => {
    const payloads = [payloadFor(2), payloadFor(2)];
    const { value, states } = await watchStates(2, () => Promise.all(payloads.map(flash)));
    const [first, second] = value as [
      Awaited<ReturnType<typeof flash>>,
      Awaited<ReturnType<typeof flash>>,
    ];
    expect(first.result.outcome).toBe('passed');
    expect(second.result.outcome).toBe('passed');
    // One whole flash is off → brom → da → brom (reset) → at; a second flash starting on the port
    // before the first ended would cut into that cycle.
    const flashCycle = 'off brom da brom at';
    expect(states.join(' ')).toMatch(new RegExp(`^(at )?${flashCycle} ${flashCycle}$`));
    const ids = new Set(payloads.map((p) => p.attemptId));
    const order = (await streamMessages(stationProgressStream(prefix, stationId)))
      .map((m) => StationProgressMessage.parse(m).attemptId)
      .filter((id) => ids.has(id));
    const switches = order.filter((id, i) => i > 0 && id !== order[i - 1]).length;
    expect(new Set(order).size).toBe(2);
    expect(switches).toBe(1);
    expect(revisionOf(2)).toBe(DEMO_REVISION);
  });

  it('fails a malformed payload unrecoverably, without retrying it and without a result', async () => {
    const job = await queue.add(
      FlashRunJob.name,
      { v: 1, slot: 'one', stationId },
      { ...FlashRunJob.defaults, attempts: 3 },
    );
    await expect.poll(() => job.getState(), { timeout: 10_000 }).toBe('failed');
    const failed = await queue.getJob(job.id!);
    expect(failed!.attemptsMade).toBe(1);
    expect(failed!.failedReason).toMatch(/rejected flash\.run job .*attemptId/s);
  });

  it('refuses a job issued to another station without touching anything', async () => {
    const job = await queue.add(
      FlashRunJob.name,
      payloadFor(1, { stationId: 'someone-else' }),
      FlashRunJob.defaults,
    );
    await expect.poll(() => job.getState(), { timeout: 10_000 }).toBe('failed');
    expect((await queue.getJob(job.id!))!.failedReason).toMatch(/is for station someone-else/);
  });

  it('settles a job for a slot this station does not have as failed, with a result', async () => {
    const { result } = await flash(payloadFor(1, { slot: 9 }));
    expect(result).toMatchObject({
      outcome: 'failed',
      errorName: 'STATION_ERROR',
      stage: 'queued',
    });
    expect(result.message).toMatch(/has no slot 9/);
  });

  it('on close, cuts the running flash short and settles the waiting job: both get a result', async () => {
    // Listening before the jobs are added: the module passes through 'da' only once per flash.
    const inDa = waitForEvent<[ModuleState]>(jig.slots[0]!.module, 'state', {
      what: "slot 1's module in the download agent",
      accept: (state) => state === 'da',
    });
    const payloads = [payloadFor(1), payloadFor(1)];
    const jobs = await Promise.all(
      payloads.map((p) => queue.add(FlashRunJob.name, p, FlashRunJob.defaults)),
    );
    // Both taken by the worker: one flashing, the other waiting for slot 1's lease.
    for (const job of jobs) await expect.poll(() => job.getState()).toBe('active');
    await inDa;
    const closing = Date.now();
    await worker.close();
    expect(Date.now() - closing).toBeLessThan(5000);

    const results = await Promise.all(payloads.map((p) => resultOf(p.attemptId)));
    const byName = Object.fromEntries(results.map((m) => [m.result.errorName, m.result]));
    expect(byName.FS_CANCELED).toMatchObject({ outcome: 'interrupted', revisionAfter: null });
    expect(byName.FS_CANCELED!.stage).not.toBe('queued');
    expect(byName.STATION_SHUTDOWN).toMatchObject({ outcome: 'interrupted', stage: 'queued' });
    for (const p of payloads) expect(journal.isUnconfirmed(p.attemptId)).toBe(true);
  });
});
