// The agent's flash worker against real parts (test/worker-bench.ts): real Redis as the station's
// own user, a real BullMQ Queue as the server, socat pseudo-terminals with the emulated jig as the
// only stand-in, the journal on a real file. Firmware is synthetic. Jobs are signed as a server
// signs them; forged ones are in forged-jobs.test.ts.
import { stationConfirmedKey, type FlashRunPayload } from '@station/contracts';
import { waitForEvent } from '@station/testkit';
import { signMessage } from '@station/trust';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleState } from '@station/emulator';
import { DEMO_REVISION } from '../src/jobs/firmware-store';
import { OLD_REVISION, openWorkerBench, type WorkerBench } from './worker-bench';

let bench: WorkerBench;

beforeAll(async () => {
  bench = await openWorkerBench('flash-worker');
});

afterAll(() => bench?.close());

async function flash(payload: FlashRunPayload) {
  const job = await bench.add(payload);
  const message = await bench.resultOf(payload.attemptId);
  return { job, message, result: message.result };
}

describe('flash worker', () => {
  it('flashes slot 1: journals, publishes progress and a passed result, completes the job', async () => {
    const payload = bench.payloadFor(1);
    const { job, message, result } = await flash(payload);
    expect(message).toMatchObject({
      stationId: bench.stationId,
      bootId: 'boot-1',
      slot: 1,
      imei: payload.imei,
    });
    expect(result).toMatchObject({
      outcome: 'passed',
      errorCode: null,
      errorName: null,
      stage: 'postflight',
      retryable: false,
      baud: 921600,
      revisionBefore: OLD_REVISION,
      revisionAfter: DEMO_REVISION,
      imeiRead: bench.jig.slots[0]!.imei,
    });
    expect(result.bytesWritten).toBeGreaterThan(96 * 1024);
    expect(Object.keys(result.stageTimings)).toEqual(
      expect.arrayContaining(['preflight', 'brom', 'da_upload', 'write', 'verify', 'postflight']),
    );
    expect(bench.revisionOf(1)).toBe(DEMO_REVISION);

    const written = (await bench.progressOf(payload.attemptId))
      .filter((p) => p.stage === 'write')
      .map((p) => p.percent);
    expect(written.length).toBeGreaterThan(2);
    expect(written).toEqual([...written].sort((a, b) => a - b));
    expect(written.at(-1)).toBeGreaterThan(written[0]!);
    await expect.poll(() => job.getState()).toBe('completed');
    // Journaled before the job completed; forgotten only once the server confirms it.
    expect(bench.journal.isUnconfirmed(payload.attemptId)).toBe(true);
    const confirmation = {
      v: 1,
      attemptId: payload.attemptId,
      stored: true,
      at: new Date().toISOString(),
    };
    await bench.redis.hset(
      stationConfirmedKey(bench.prefix, bench.stationId),
      payload.attemptId,
      JSON.stringify(signMessage(bench.station.signingKey, 'confirm', confirmation)),
    );
    await expect.poll(() => bench.journal.isUnconfirmed(payload.attemptId)).toBe(false);
    expect(
      await bench.redis.hexists(
        stationConfirmedKey(bench.prefix, bench.stationId),
        payload.attemptId,
      ),
    ).toBe(0);
  });

  it('refuses a package whose digest differs from the job, writing nothing', async () => {
    const payload = bench.payloadFor(2, { packageSha256: 'f'.repeat(64) });
    const { value, states } = await bench.watchStates(2, () => flash(payload));
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
    expect(bench.revisionOf(2)).toBe(OLD_REVISION);
    expect(await bench.progressOf(payload.attemptId)).toEqual([]);
  });

  it('names a package that is not on the station as a package error', async () => {
    const { result } = await flash(bench.payloadFor(2, { packageId: 'MC60CAR01A99' }));
    expect(result).toMatchObject({
      outcome: 'failed',
      errorName: 'S_FT_INVALID_CFG_FILE',
      stage: 'package',
      bytesWritten: 0,
    });
    expect(bench.revisionOf(2)).toBe(OLD_REVISION);
  });

  it('runs two jobs for the same slot one after the other', async () => {
    const payloads = [bench.payloadFor(2), bench.payloadFor(2)];
    const { value, states } = await bench.watchStates(2, () => Promise.all(payloads.map(flash)));
    const [first, second] = value as [
      Awaited<ReturnType<typeof flash>>,
      Awaited<ReturnType<typeof flash>>,
    ];
    expect(first.result.outcome).toBe('passed');
    expect(second.result.outcome).toBe('passed');
    // One whole flash is off → brom → da → off → brom → at (the jig's relay restarts the module
    // after its download); a second flash starting on the port before the first ended would cut
    // into that cycle.
    const flashCycle = 'off brom da off brom at';
    expect(states.join(' ')).toMatch(new RegExp(`^(at )?${flashCycle} ${flashCycle}$`));
    const ids = new Set(payloads.map((p) => p.attemptId));
    const order = (await bench.progress()).map((m) => m.attemptId).filter((id) => ids.has(id));
    const switches = order.filter((id, i) => i > 0 && id !== order[i - 1]).length;
    expect(new Set(order).size).toBe(2);
    expect(switches).toBe(1);
    expect(bench.revisionOf(2)).toBe(DEMO_REVISION);
  });

  it('fails a malformed payload unrecoverably, without retrying it and without a result', async () => {
    const job = await bench.add({ v: 1, slot: 'one', stationId: bench.stationId }, { attempts: 3 });
    await expect.poll(() => job.getState(), { timeout: 10_000 }).toBe('failed');
    const failed = await bench.queue.getJob(job.id!);
    expect(failed!.attemptsMade).toBe(1);
    expect(failed!.failedReason).toMatch(/rejected flash\.run job .*attemptId/s);
  });

  it('refuses a job issued to another station without touching anything', async () => {
    const job = await bench.add(bench.payloadFor(1, { stationId: 'someone-else' }));
    await expect.poll(() => job.getState(), { timeout: 10_000 }).toBe('failed');
    expect((await bench.queue.getJob(job.id!))!.failedReason).toMatch(
      /is for station someone-else/,
    );
  });

  it('settles a job for a slot this station does not have as failed, with a result', async () => {
    const { result } = await flash(bench.payloadFor(1, { slot: 9 }));
    expect(result).toMatchObject({
      outcome: 'failed',
      errorName: 'STATION_ERROR',
      stage: 'queued',
    });
    expect(result.message).toMatch(/has no slot 9/);
  });

  it('on close, cuts the running flash short and settles the waiting job: both get a result', async () => {
    // Listening before the jobs are added: the module passes through 'da' only once per flash.
    const inDa = waitForEvent<[ModuleState]>(bench.jig.slots[0]!.module, 'state', {
      what: "slot 1's module in the download agent",
      accept: (state) => state === 'da',
    });
    const payloads = [bench.payloadFor(1), bench.payloadFor(1)];
    const jobs = await Promise.all(payloads.map((p) => bench.add(p)));
    // Both taken by the worker: one flashing, the other waiting for slot 1's lease.
    for (const job of jobs) await expect.poll(() => job.getState()).toBe('active');
    await inDa;
    const closing = Date.now();
    await bench.worker.close();
    expect(Date.now() - closing).toBeLessThan(5000);

    const results = await Promise.all(payloads.map((p) => bench.resultOf(p.attemptId)));
    const byName = Object.fromEntries(results.map((m) => [m.result.errorName, m.result]));
    expect(byName.FS_CANCELED).toMatchObject({ outcome: 'interrupted', revisionAfter: null });
    expect(byName.FS_CANCELED!.stage).not.toBe('queued');
    expect(byName.STATION_SHUTDOWN).toMatchObject({ outcome: 'interrupted', stage: 'queued' });
    for (const p of payloads) expect(bench.journal.isUnconfirmed(p.attemptId)).toBe(true);
  });
});
