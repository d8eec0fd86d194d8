// What someone on the line network can do to a station through Redis (issue #8 §3), against the
// real worker bench (test/worker-bench.ts: real Redis, the station's own ACL user, real ptys with
// the emulated jig). A job nobody signed with this station's key is refused before it touches
// anything, and the station's own Redis user cannot write another station's keys.
import {
  FlashRunJob,
  flashQueueName,
  stationResultsStream,
  type FlashRunPayload,
} from '@station/contracts';
import { deriveStationKeys, newStationSecret, signMessage } from '@station/trust';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSED_UNSIGNED } from '../src/jobs/flash-run.processor';
import { OLD_REVISION, openWorkerBench, type WorkerBench } from './worker-bench';

let bench: WorkerBench;

beforeAll(async () => {
  bench = await openWorkerBench('forged-jobs');
});

afterAll(() => bench?.close());

const refusal = (work: Promise<unknown>) =>
  work.then(
    () => 'allowed',
    (error: Error) => error.message,
  );

/** Adds `data` straight to the station's queue, as anyone with Redis access could. */
async function forge(data: unknown) {
  // The module boots to AT on its own once the jig powers it: watch only once it has settled,
  // so every state seen below is one the forged job caused.
  await expect.poll(() => bench.stateOf(1), { timeout: 10_000 }).toBe('at');
  return bench.watchStates(1, async () => {
    const job = await bench.queue.add(FlashRunJob.name, data, FlashRunJob.defaults);
    await expect.poll(() => job.getState(), { timeout: 10_000 }).toBe('failed');
    return (await bench.queue.getJob(job.id!))!;
  });
}

/** Nothing happened for this attempt: module untouched, no journal record, no result entry. */
async function expectUntouched(payload: FlashRunPayload, states: unknown[]) {
  expect(states).toEqual([]);
  expect(bench.revisionOf(1)).toBe(OLD_REVISION);
  expect(bench.journal.knows(payload.attemptId)).toBe(false);
  expect((await bench.results()).map((m) => m.result.attemptId)).not.toContain(payload.attemptId);
  expect(await bench.progressOf(payload.attemptId)).toEqual([]);
}

describe('a forged job on the station queue', () => {
  it('is refused unsigned: the module is not flashed and no attempt is recorded', async () => {
    const payload = bench.payloadFor(1);
    const { value: job, states } = await forge(payload);
    expect(job.failedReason).toBe(REFUSED_UNSIGNED);
    expect(job.attemptsMade).toBe(1);
    await expectUntouched(payload, states);
  });

  it("is refused when signed with another station's key", async () => {
    const payload = bench.payloadFor(1);
    const other = deriveStationKeys(newStationSecret());
    const { value: job, states } = await forge(signMessage(other.signingKey, 'job', payload));
    expect(job.failedReason).toBe(REFUSED_UNSIGNED);
    await expectUntouched(payload, states);
  });

  it('is refused when a signed job is altered (another slot, same signature)', async () => {
    const signed = signMessage(bench.station.signingKey, 'job', bench.payloadFor(2));
    const payload = bench.payloadFor(1);
    const { value: job, states } = await forge({ m: JSON.stringify(payload), s: signed.s });
    expect(job.failedReason).toBe(REFUSED_UNSIGNED);
    await expectUntouched(payload, states);
  });

  it('while the same job signed with its key flashes (the refusals above are the signature)', async () => {
    const payload = bench.payloadFor(1);
    await bench.add(payload);
    expect((await bench.resultOf(payload.attemptId)).result.outcome).toBe('passed');
  });
});

describe("the station's Redis user", () => {
  it("gets NOPERM for another station's results stream and queue, on the worker's own connection", async () => {
    const connection = await bench.worker.worker.client;
    const otherResults = stationResultsStream(bench.prefix, 'st-other');
    expect(await refusal(connection.xadd(otherResults, '*', { m: '{}' }))).toMatch(/^NOPERM/);
    const otherWait = `${bench.prefix}:${flashQueueName('st-other')}:wait`;
    expect(await refusal(connection.runCommand('lpush', [otherWait, 'x']))).toMatch(/^NOPERM/);
  });

  it("cannot add a job to another station's queue with BullMQ through the worker's URL", async () => {
    const connection = new Redis(bench.workerOptions.redisUrl, { maxRetriesPerRequest: 1 });
    const other = new Queue(flashQueueName('st-other'), { connection, prefix: bench.prefix });
    other.on('error', () => {});
    try {
      expect(await refusal(other.add(FlashRunJob.name, { forged: true }))).toMatch(
        /NOPERM|permission/i,
      );
      expect(await refusal(connection.call('KEYS', '*'))).toMatch(/^NOPERM/);
    } finally {
      await other.close();
      connection.disconnect();
    }
    expect(await bench.redis.exists(`${bench.prefix}:${flashQueueName('st-other')}:wait`)).toBe(0);
  });
});
