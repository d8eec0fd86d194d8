// Every catalogue code reachable from a wire fault, driven through the real host code against
// the scripted fake device over an in-memory pair.
import { afterEach, describe, expect, it } from 'vitest';
import {
  FLASH_ERRORS,
  flashModule,
  runFlashJob,
  type FlashErrorCode,
  type FlashOptions,
} from '../src/index';
import { createMemoryTransportPair } from '../src/testing/index';
import { startFakeDevice, type FakeFaults } from './fake-device';
import { smallPackage, syntheticDa } from './fixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function setup(faults: FakeFaults) {
  const { host, device } = createMemoryTransportPair();
  const fake = startFakeDevice(device, faults);
  cleanups.push(async () => {
    fake.stop();
    await host.close();
    await device.close();
  });
  return { host, device, fake };
}

async function flashWith(faults: FakeFaults, extra: Partial<FlashOptions> = {}) {
  const { host, fake } = setup(faults);
  const result = flashModule(host, {
    package: smallPackage(),
    da: syntheticDa(),
    baud: 921600,
    power: { cycle: () => fake.powerCycle() },
    handshakeTimeoutMs: 400,
    daSyncTimeoutMs: 300,
    ...extra,
  });
  return { result, fake, host };
}

const cases: Array<[FlashErrorCode, FakeFaults, Partial<FlashOptions>?]> = [
  ['BROM_HANDSHAKE_TIMEOUT', { silent: true }],
  ['BROM_HANDSHAKE_FAIL', { badHandshake: true }],
  ['BROM_ECHO_MISMATCH', { corruptEcho: true }],
  ['CHIP_UNSUPPORTED', { hwCode: 0x6260 }],
  ['CHIP_ID_READ_FAIL', { noEfuse: true }],
  ['BROM_CMD_FAIL', { write16Status: 0 }],
  ['BROM_NO_RESPONSE', { silentWrites: true }],
  ['DA_DOWNLOAD_FAIL', { sendDaStatus: 0x1d0d }],
  ['DA_CHECKSUM_MISMATCH', { corruptDaChecksum: true }],
  ['JUMP_DA_FAIL', { jumpStatus: 0x1d0e }],
  ['DA_SYNC_FAIL', { noDaSync: true }],
  ['DA_VERSION_INCORRECT', { daVersion: [3, 1] }],
  ['UNKNOWN_BBCHIP', { bbChip: 0x8b }],
  ['DA_NO_RESPONSE', { noConfigAck: true }],
  ['NOR_FLASH_NOT_FOUND', { jedec: [0x01, 0x02, 0x03] }],
  ['FLASH_NOT_FOUND', { norStatus: 3141 }],
  ['SOC_CHECK_FAIL', { socByte: 0xcf }],
  ['FLASH_ID_NOT_IN_PACKAGE', { jedec: [0xc8, 0x60, 0x18] }],
  ['BAUD_CHANGE_FAIL', { corruptLoopbackAt: 0x55 }],
  ['SET_DOWNLOAD_BLOCK_FAIL', { memNack: 3039 }],
  ['FORMAT_FAIL', { preformatByte: 0xa5 }],
  ['DOWNLOAD_FAIL', { writeNacks: 10 }],
  ['PROTOCOL_EXCEPTION', { writeBadByte: 0x42 }],
  ['DOWNLOAD_CHECKSUM_MISMATCH', { wrongFlashSum: true }],
  ['READBACK_FAIL', { corruptReadback: true }, { readback: true }],
  ['FINISH_FAIL', { finishNack: true }],
];

describe('flashModule error paths', () => {
  it.each(cases)('%s', async (code, faults, extra) => {
    const { result } = await flashWith(faults, extra);
    const error = await result.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code,
      mtkCode: FLASH_ERRORS[code].code,
      errorName: FLASH_ERRORS[code].name,
    });
  });

  it('pulses power again after a start sequence fails half-way', async () => {
    const { host, fake } = setup({ badHandshake: true });
    let cycles = 0;
    const result = flashModule(host, {
      package: smallPackage(),
      da: syntheticDa(),
      power: {
        cycle: () => {
          cycles++;
          return fake.powerCycle();
        },
      },
      handshakeTimeoutMs: 400,
    });
    await expect(result).rejects.toMatchObject({ code: 'BROM_HANDSHAKE_FAIL' });
    // The first cycle powers the module; each failed sequence after it asks for another.
    expect(cycles).toBeGreaterThan(1);
  });

  it('succeeds against the fake and retransmits NACKed packets', async () => {
    const { result, fake } = await flashWith({ writeNacks: 2 }, { readback: true });
    const ok = await result;
    expect(fake.retransmits).toBe(2);
    expect(ok.baud).toBe(921600);
    expect(ok.flashId).toBe('0x001660C8');
    expect(ok.chip.name).toBe('MT2503');
    const pkg = smallPackage();
    for (const image of pkg.images) {
      expect(fake.flash.subarray(image.flashOffset, image.flashOffset + image.data.length)).toEqual(
        image.data,
      );
    }
  });

  it('skips the drain only for WRITE packets (resends too), SEND_DA chunks and loopback bytes', async () => {
    const { result, fake, host } = await flashWith({ writeNacks: 2 });
    await result;
    const packets = smallPackage().images.reduce((n, i) => n + Math.ceil(i.data.length / 4096), 0);
    const da = syntheticDa();
    const daChunks = Math.ceil(da.da1.data.length / 1024) + Math.ceil(da.da2.data.length / 1024);
    const undrained = host.written.filter((_, i) => host.drained[i] === false);
    expect(fake.retransmits).toBe(2);
    expect(undrained).toHaveLength(daChunks + packets + fake.retransmits + 256);
    // The baud switch's loopback: 00..FF, one byte a write, none drained.
    const loopback = undrained.filter((w) => w.length === 1);
    expect(loopback.map((w) => w[0])).toEqual(Array.from({ length: 256 }, (_, i) => i));
    // Every packet, first sends and resends alike, is ACK + data + sum16 and was not drained.
    const frames = undrained.filter((w) => w[0] === 0x5a && w.length > 1024);
    expect(frames.length).toBeGreaterThanOrEqual(packets - smallPackage().images.length);
    // Commands, the CONT before a resend and the baud switch's command and syncs still wait for
    // the line.
    const drained = host.written.filter((_, i) => host.drained[i]);
    expect(drained.some((w) => w.length === 1 && w[0] === 0x69)).toBe(true);
    expect(drained.some((w) => w.length === 1 && w[0] === 0xc0)).toBe(true);
    expect(drained.length).toBeGreaterThan(20);
  });

  it('PORT_DISCONNECTED when the adapter vanishes mid-write', async () => {
    const { result, host } = await flashWith(
      {},
      {
        onProgress: (p) => {
          if (p.stage === 'write' && p.bytes > 0) host.unplug();
        },
      },
    );
    await expect(result).rejects.toMatchObject({ code: 'PORT_DISCONNECTED', stage: 'write' });
  });

  it('CANCELED through the AbortSignal, naming the stage', async () => {
    const controller = new AbortController();
    const { result } = await flashWith(
      {},
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage === 'da_upload' && p.bytes > 2048)
            controller.abort(new Error('operator stop'));
        },
      },
    );
    await expect(result).rejects.toMatchObject({ code: 'CANCELED', stage: 'da_upload' });
  });

  it('POWER_CONTROL_FAIL when the power callback fails and nothing answers', async () => {
    const { result } = await flashWith(
      { silent: true },
      { power: { cycle: () => Promise.reject(new Error('relay board offline')) } },
    );
    await expect(result).rejects.toMatchObject({ code: 'POWER_CONTROL_FAIL', stage: 'power' });
  });
});

describe('runFlashJob AT checks', () => {
  async function job(faults: FakeFaults, expectedImei?: string) {
    const { host, fake } = setup(faults);
    return runFlashJob(host, {
      package: smallPackage(),
      da: syntheticDa(),
      baud: 460800,
      power: { cycle: () => fake.powerCycle() },
      handshakeTimeoutMs: 400,
      preflight: true,
      postflight: true,
      expectedImei,
    });
  }

  it('passes with matching revision and IMEI, reporting before/after', async () => {
    const r = await job({ atRevision: 'MC60CAR01A13' });
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({
      ok: true,
      imei: '861359030299596',
      revisionBefore: 'MC60CAR01A13',
      revisionAfter: 'MC60CAR01A13',
    });
    expect(r.stageTimings.write).toBeGreaterThanOrEqual(0);
  });

  it('announces every stage it enters, in order, on one clock that adds up', async () => {
    const { host, fake } = setup({ atRevision: 'MC60CAR01A13' });
    const stages: string[] = [];
    const r = await runFlashJob(host, {
      package: smallPackage(),
      da: syntheticDa(),
      baud: 460800,
      power: { cycle: () => fake.powerCycle() },
      handshakeTimeoutMs: 400,
      preflight: true,
      postflight: true,
      onProgress: (p) => {
        if (stages.at(-1) !== p.stage) stages.push(p.stage);
      },
    });
    expect(r.error).toBeUndefined();
    const walked = ['preflight', 'power', 'brom', 'da_upload', 'da_connect', 'baud', 'format'];
    walked.push('write', 'verify', 'finish', 'postflight');
    expect(stages).toEqual(walked);
    expect(Object.keys(r.stageTimings)).toEqual(walked);
    const total = Object.values(r.stageTimings).reduce((n, ms) => n + ms, 0);
    expect(total).toBeLessThanOrEqual(r.durationMs + walked.length);
    expect(total).toBeGreaterThanOrEqual(r.durationMs - 50);
  });

  it('REVISION_MISMATCH when the module still reports another revision', async () => {
    const r = await job({ atRevision: 'MC60CAR01A03' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'REVISION_MISMATCH', stage: 'postflight' },
    });
  });

  it('IMEI_MISMATCH against the label', async () => {
    const r = await job({ atRevision: 'MC60CAR01A13' }, '490154203237518');
    expect(r).toMatchObject({ ok: false, error: { code: 'IMEI_MISMATCH', stage: 'preflight' } });
  });

  it('IMEI_INVALID when the check digit is wrong', async () => {
    const r = await job({ atRevision: 'MC60CAR01A13', imei: '861359030299597' });
    expect(r).toMatchObject({ ok: false, error: { code: 'IMEI_INVALID', stage: 'preflight' } });
  });

  it(
    'AT_NO_RESPONSE after flashing a module whose firmware never answers',
    { timeout: 20_000 },
    async () => {
      const r = await job({ noFirmware: true });
      expect(r.revisionBefore).toBeUndefined();
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'AT_NO_RESPONSE', stage: 'postflight' },
      });
      expect(r.flash?.bytes).toBe(smallPackage().images.reduce((n, i) => n + i.data.length, 0));
    },
  );

  it('falls back to a lower baud when the loopback fails', async () => {
    const { host, fake } = setup({ corruptLoopbackAt: 7 });
    const retries: number[] = [];
    const r = await runFlashJob(host, {
      package: smallPackage(),
      da: syntheticDa(),
      baud: 921600,
      power: { cycle: () => fake.powerCycle() },
      handshakeTimeoutMs: 400,
      fallback: true,
      onRetry: (baud) => retries.push(baud),
    });
    // The fake corrupts the loopback at every speed but 115200 never switches.
    expect(retries).toEqual([460800, 115200]);
    expect(r).toMatchObject({ ok: true });
    expect(r.flash?.baud).toBe(115200);
  });
});

describe('device output split at every boundary', () => {
  it.each([1, 2, 3, 7])(
    'a full flash works when the module answers in %i-byte pieces',
    async (fragment) => {
      const { host, device, fake } = setup({});
      device.fragment = fragment;
      const result = await flashModule(host, {
        package: smallPackage(),
        da: syntheticDa(),
        baud: 460800,
        power: { cycle: () => fake.powerCycle() },
        readback: true,
      });
      expect(result.report.jedec).toEqual({ manufacturer: 0xc8, memoryType: 0x60, capacity: 0x16 });
      expect(result.bytes).toBe(10 * 1024 + 100 + 5000);
    },
  );
});

describe('catalogue coverage', () => {
  it('every catalogue code has a test that reaches it', () => {
    const elsewhere: FlashErrorCode[] = [
      // this file, outside the table
      'PORT_DISCONNECTED',
      'CANCELED',
      'POWER_CONTROL_FAIL',
      'REVISION_MISMATCH',
      'IMEI_MISMATCH',
      'IMEI_INVALID',
      'AT_NO_RESPONSE',
      // test/stalls.test.ts
      'SERIAL_WRITE_TIMEOUT',
      // src/package/package.test.ts
      'INVALID_CFG_FILE',
      'INVALID_IMAGE',
      'INVALID_DA_FILE',
      // apps/station/src/ports/serial-transport.test.ts
      'PORT_OPEN_FAIL',
      // apps/station/test/flash-worker.test.ts
      'PACKAGE_MISMATCH',
      // apps/server/test/firmware-activation.test.ts (a registry file altered on the server)
      'PACKAGE_FETCH_FAIL',
    ];
    const covered = new Set([...cases.map(([code]) => code), ...elsewhere]);
    expect(
      Object.keys(FLASH_ERRORS).filter((code) => !covered.has(code as FlashErrorCode)),
    ).toEqual([]);
  });
});
