// A flash never hangs: a serial write or drain that never settles, or a power callback that
// never returns, ends in a specific error within its deadline, and a cancel ends it at once.
// The transports here ignore their own deadline on purpose, as a stuck driver would.
import { afterEach, describe, expect, it } from 'vitest';
import {
  flashModule,
  runFlashJob,
  writeDeadlineMs,
  type FlashOptions,
  type PowerControl,
  type Transport,
} from '../src/index';
import { createMemoryTransportPair } from '../src/testing/index';
import { startFakeDevice } from './fake-device';
import { smallPackage, syntheticDa } from './fixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/**
 * The host end of a pair whose writes stop settling once `stall()` is called: neither resolved
 * nor rejected, whatever timeout or signal they are given (the reported "da-upload 14 %" hang).
 */
function stallingHost(): {
  transport: Transport;
  power: PowerControl;
  stall(): void;
  stalledAt(): number | undefined;
} {
  const { host, device } = createMemoryTransportPair();
  const fake = startFakeDevice(device, {});
  cleanups.push(async () => {
    fake.stop();
    await host.close();
    await device.close();
  });
  let stalledAt: number | undefined;
  const transport: Transport = {
    write: (data, timeoutMs, signal, options) =>
      stalledAt === undefined
        ? host.write(data, timeoutMs, signal, options)
        : new Promise(() => undefined),
    read: (length, timeoutMs, signal) => host.read(length, timeoutMs, signal),
    setBaudRate: (baud) => host.setBaudRate(baud),
    discardInput: () => host.discardInput(),
    close: () => host.close(),
  };
  return {
    transport,
    power: { cycle: () => fake.powerCycle() },
    stall: () => (stalledAt ??= performance.now()),
    stalledAt: () => stalledAt,
  };
}

function options(extra: Partial<FlashOptions>): FlashOptions {
  return { package: smallPackage(), da: syntheticDa(), baud: 921600, ...extra };
}

describe('a write that never settles', () => {
  it(
    'fails the flash with SERIAL_WRITE_TIMEOUT (9004) in da_upload, within its deadline',
    { timeout: 20_000 },
    async () => {
      const line = stallingHost();
      const failure = await flashModule(
        line.transport,
        options({
          power: line.power,
          onProgress: (p) => {
            if (p.stage === 'da_upload' && p.bytes >= 2048) line.stall();
          },
        }),
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      const waited = performance.now() - line.stalledAt()!;
      expect(failure).toMatchObject({
        code: 'SERIAL_WRITE_TIMEOUT',
        mtkCode: 9004,
        errorName: 'FS_SERIAL_WRITE_TIMEOUT',
        stage: 'da_upload',
        retryable: true,
      });
      expect((failure as Error).message).toMatch(/write of 1024 bytes at 115200 baud/);
      // The DA goes up at 115200 in 1 KiB chunks: that chunk's deadline, not the test's timeout.
      const deadline = writeDeadlineMs(1024, 115200);
      expect(waited).toBeGreaterThanOrEqual(deadline - 50);
      expect(waited).toBeLessThan(deadline + 1000);
    },
  );

  it('is canceled within a second of the abort, naming the stage', async () => {
    const line = stallingHost();
    const controller = new AbortController();
    let abortedAt = 0;
    const result = runFlashJob(line.transport, {
      ...options({}),
      power: line.power,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage !== 'da_upload' || p.bytes < 2048 || line.stalledAt() !== undefined) return;
        line.stall();
        setTimeout(() => {
          abortedAt = performance.now();
          controller.abort(new Error('SIGTERM'));
        }, 200);
      },
    });
    const { ok, error, stageTimings } = await result;
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(ok).toBe(false);
    expect(error).toMatchObject({ code: 'CANCELED', stage: 'da_upload' });
    expect(stageTimings.da_upload).toBeGreaterThanOrEqual(150);
  });
});

describe('a power callback that never returns', () => {
  it('is canceled within a second of the abort', async () => {
    const { host, device } = createMemoryTransportPair();
    const fake = startFakeDevice(device, { silent: true });
    cleanups.push(async () => {
      fake.stop();
      await host.close();
      await device.close();
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('SIGTERM')), 200);
    const started = performance.now();
    const failure = await flashModule(
      host,
      options({
        power: { cycle: () => new Promise(() => undefined) },
        signal: controller.signal,
        handshakeTimeoutMs: 30_000,
      }),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(performance.now() - started).toBeLessThan(1200);
    expect(failure).toMatchObject({ code: 'CANCELED', stage: 'brom' });
  });
});
