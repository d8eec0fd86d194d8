// The agent's flash worker against real parts: real Redis (unique prefix), a real BullMQ Queue as
// the producer the server will be, the real SerialTransport on socat pseudo-terminals, and the
// emulated jig as the only stand-in (no physical MC60 is attached). Firmware is synthetic.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  FlashRunJob,
  FlashRunProgress,
  FlashRunResult,
  flashQueueName,
  type FlashRunPayload,
} from '@station/contracts';
import { createVirtualJig, type ModuleState, type VirtualJig } from '@station/emulator';
import { createLogger } from '@station/logger';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PACKAGE_ID, DEMO_REVISION, ensureDemoFirmware } from '../src/jobs/firmware-store';
import {
  startFlashWorker,
  type FlashWorker,
  type FlashWorkerOptions,
} from '../src/jobs/flash-worker';

const OLD_REVISION = 'MC60CAR01A03';
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-flash-worker-${randomBytes(4).toString('hex')}`;
const stationId = `st-${randomBytes(3).toString('hex')}`;

let dir: string;
let jig: VirtualJig;
let worker: FlashWorker;
let workerOptions: FlashWorkerOptions;
let redis: Redis;
let queue: Queue;
let events: QueueEvents;
let digest: string;
/** Every progress event in the order the queue's event stream delivered it. */
const progress: { jobId: string; data: FlashRunProgress }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flash-worker-'));
  const firmwareDir = join(dir, 'firmware');
  const daFile = join(firmwareDir, 'mt6261_da.bin');
  ({ digest } = await ensureDemoFirmware(firmwareDir, daFile));
  jig = await createVirtualJig({
    slots: [
      { slot: 1, revision: OLD_REVISION },
      { slot: 2, revision: OLD_REVISION },
    ],
    dir: join(dir, 'jig'),
    pacing: false,
  });
  redis = new Redis(REDIS_URL);
  queue = new Queue(flashQueueName(stationId), { connection: redis, prefix });
  events = new QueueEvents(flashQueueName(stationId), { connection: { url: REDIS_URL }, prefix });
  events.on('progress', ({ jobId, data }) =>
    progress.push({ jobId, data: FlashRunProgress.parse(data) }),
  );
  await events.waitUntilReady();
  workerOptions = {
    stationId,
    slots: jig.slots.map((s) => ({
      slot: s.slot,
      path: s.path,
      power: { kind: 'emulator', controlAddress: jig.controlAddress, slot: s.slot },
    })),
    redisUrl: REDIS_URL,
    prefix,
    firmwareDir,
    daFile,
    logger: createLogger({ name: 'test', level: 'silent', destination: new Writable() }),
    drainMs: 10_000,
    // Every packet's progress, so the write stage's percent sequence can be checked in full
    // (the 5-per-second throttle is tested in src/jobs/progress-throttle.test.ts).
    progressIntervalMs: 0,
  };
  worker = await startFlashWorker(workerOptions);
});

afterAll(async () => {
  await worker?.close();
  await events?.close();
  await queue?.obliterate({ force: true }).catch(() => {});
  await queue?.close();
  if (redis) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
  await jig?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

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

async function flash(payload: unknown) {
  const job = await queue.add(FlashRunJob.name, payload, FlashRunJob.defaults);
  return { job, result: FlashRunResult.parse(await job.waitUntilFinished(events)) };
}

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
  it('flashes slot 1 from a producer job and reports progress and a passed result', async () => {
    const { job, result } = await flash(payloadFor(1));
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
      expect.arrayContaining(['preflight', 'brom', 'da-upload', 'write', 'verify', 'postflight']),
    );
    expect(revisionOf(1)).toBe(DEMO_REVISION);

    const written = progress
      .filter((p) => p.jobId === job.id && p.data.stage === 'write')
      .map((p) => p.data.percent);
    expect(written.length).toBeGreaterThan(2);
    expect(written).toEqual([...written].sort((a, b) => a - b));
    expect(written.at(-1)).toBeGreaterThan(written[0]!);
    expect(await job.getState()).toBe('completed');
  });

  it('refuses a package whose digest differs from the job, writing nothing', async () => {
    const { value, states } = await watchStates(2, () =>
      flash(payloadFor(2, { packageSha256: 'f'.repeat(64) })),
    );
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
    expect(progress.filter((p) => p.jobId === value.job.id)).toEqual([]);
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
    const { value, states } = await watchStates(2, () =>
      Promise.all([flash(payloadFor(2)), flash(payloadFor(2))]),
    );
    const [first, second] = value;
    expect(first.result.outcome).toBe('passed');
    expect(second.result.outcome).toBe('passed');
    // One whole flash is off → brom → da → brom (reset) → at; a second flash starting on the port
    // before the first ended would cut into that cycle, and the two jobs' progress would interleave.
    const flashCycle = 'off brom da brom at';
    expect(states.join(' ')).toMatch(new RegExp(`^(at )?${flashCycle} ${flashCycle}$`));
    const order = progress
      .filter((p) => p.jobId === first.job.id || p.jobId === second.job.id)
      .map((p) => p.jobId);
    const switches = order.filter((id, i) => i > 0 && id !== order[i - 1]).length;
    expect(new Set(order).size).toBe(2);
    expect(switches).toBe(1);
    expect(revisionOf(2)).toBe(DEMO_REVISION);
  });

  it('fails a malformed payload unrecoverably, without retrying it', async () => {
    const job = await queue.add(
      FlashRunJob.name,
      { v: 1, slot: 'one', stationId },
      { ...FlashRunJob.defaults, attempts: 3 },
    );
    await expect(job.waitUntilFinished(events)).rejects.toThrow(/rejected flash\.run job/);
    const failed = await queue.getJob(job.id!);
    expect(await failed!.getState()).toBe('failed');
    expect(failed!.attemptsMade).toBe(1);
    expect(failed!.failedReason).toMatch(/attemptId/);
  });

  it('fails a job for a slot this station does not have unrecoverably', async () => {
    const job = await queue.add(FlashRunJob.name, payloadFor(1, { slot: 9 }), FlashRunJob.defaults);
    await expect(job.waitUntilFinished(events)).rejects.toThrow(
      new RegExp(`is for ${stationId} slot 9; this is ${stationId} with slots 1, 2`),
    );
    expect((await queue.getJob(job.id!))!.attemptsMade).toBe(1);
  });

  it('on close, starts no waiting job and aborts the running flash as interrupted', async () => {
    // A worker that aborts running flashes as soon as it closes (no drain time).
    await worker.close();
    worker = await startFlashWorker({ ...workerOptions, drainMs: 0 });
    const module = jig.slots[0]!.module;
    const inDa = new Promise<void>((resolve) => {
      const onState = (state: ModuleState) => {
        if (state !== 'da') return;
        module.off('state', onState);
        resolve();
      };
      module.on('state', onState);
    });
    const jobs = [
      await queue.add(FlashRunJob.name, payloadFor(1), FlashRunJob.defaults),
      await queue.add(FlashRunJob.name, payloadFor(1), FlashRunJob.defaults),
    ];
    const finished = jobs.map((job) => job.waitUntilFinished(events));
    finished.forEach((p) => p.catch(() => {})); // inspected below
    // Both taken by the worker: one flashing, the other waiting for slot 1's lease.
    for (const job of jobs) {
      while ((await job.getState()) !== 'active') await new Promise((r) => setTimeout(r, 20));
    }
    await inDa;
    await worker.close();

    const settled = await Promise.allSettled(finished);
    const ran = settled.find((s) => s.status === 'fulfilled');
    const refused = settled.find((s) => s.status === 'rejected');
    expect(FlashRunResult.parse(ran?.value)).toMatchObject({
      outcome: 'interrupted',
      errorName: 'FS_CANCELED',
      revisionAfter: null,
    });
    expect(String(refused?.reason)).toMatch(/stopped waiting for slot 1: .*station shutting down/);
  });
});
