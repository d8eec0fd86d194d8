// Every emulator fault profile of design §4 against the station's real host (packages/mtk) over
// real socat ptys and the real SerialTransport: the symptom the host sees (module state, port,
// flash contents) and the catalogue error it reports. Pacing is off: the symptoms do not depend
// on line rate, and the paced path is covered in flash-emulator.test.ts.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runFlashJob, type FlashJobOptions } from '@station/mtk';
import type { SlotConfig } from '@station/emulator';
import {
  demoDa,
  demoPackage,
  moduleState,
  NEW_REVISION,
  OLD_REVISION,
  power,
} from './flash-helpers';
import { benchPerTest } from './bench-per-test';

// ROM at flash 0x20000–0x28000, VIVA at 0x28000–0x2A000: small, so failures come quickly.
const pkg = demoPackage(NEW_REVISION, 32 * 1024, 8 * 1024);
const da = demoDa();
const NOISY_ABOVE_460800 = { aboveBaud: 460800, byteErrorRate: 0.05, seed: 3 };
const BAD_SECTOR = 0x24000;

const bench = benchPerTest();

/** One flash of slot 1 at 921600 with AT checks either side, as the station runs it. */
async function flashWith(config: Omit<SlotConfig, 'slot'>, options: Partial<FlashJobOptions> = {}) {
  const { jig, port } = await bench.open({
    slots: [{ slot: 1, revision: OLD_REVISION, ...config }],
  });
  // Let a powered module reach its AT firmware first, so preflight failures are the fault's doing.
  if (config.poweredAtStart !== false && config.faults?.noHandshake !== 'no-power')
    await moduleState(jig, 'at');
  return runFlashJob(port, {
    package: pkg,
    da,
    power: power(jig),
    baud: 921600,
    preflight: true,
    postflight: true,
    expectedImei: jig.slots[0]!.imei,
    handshakeTimeoutMs: 1000,
    ...options,
  });
}

/** What the jig shows for slot 1 after the attempt. */
function slot() {
  return bench.current.jig.status()[0]!;
}

describe('host vs emulator fault profiles (design §4)', () => {
  it('no handshake, powered too early → 2006 start-command timeout in brom', async () => {
    // Powered too early: the module was switched on before the host streamed A0, and nobody
    // cycles it while the host streams (manual power; the operator did nothing). Its BROM window
    // is over and it runs its firmware. No jig cycle here on purpose: a cycle under the A0 stream
    // reopens a window, and an A0 already queued in the pty lands in it before the emulator's
    // 0 ms window timer fires (the race behind the once-flaky "expected undefined" failure).
    // The host asks twice: as A0 starts streaming, and again half-way through the handshake.
    let cycles = 0;
    const result = await flashWith(
      { faults: { noHandshake: 'powered-too-early' } },
      { power: { cycle: async () => void cycles++ } },
    );
    expect(cycles).toBe(2);
    expect(result.error).toMatchObject({
      code: 'BROM_HANDSHAKE_TIMEOUT',
      mtkCode: 2006,
      errorName: 'S_BROM_CMD_STARTCMD_TIMEOUT',
      stage: 'brom',
      retryable: true,
    });
    // The boot ROM window closed before the host streamed: the module booted its firmware.
    expect(slot()).toMatchObject({ state: 'at', revision: OLD_REVISION });
  });

  it('no handshake, never powered → 2006 start-command timeout in brom', async () => {
    const result = await flashWith({ faults: { noHandshake: 'no-power' }, poweredAtStart: false });
    expect(result.error).toMatchObject({
      code: 'BROM_HANDSHAKE_TIMEOUT',
      mtkCode: 2006,
      stage: 'brom',
      retryable: true,
    });
    expect(result.revisionBefore).toBeUndefined();
    expect(slot().state).toBe('off');
  });

  it('noisy line above 460800 without fallback → 4006 baud change fail, retryable', async () => {
    const result = await flashWith({ faults: { noisyLine: NOISY_ABOVE_460800 } });
    expect(result.error).toMatchObject({
      code: 'BAUD_CHANGE_FAIL',
      mtkCode: 4006,
      errorName: 'S_FT_CHANGE_BAUDRATE_FAIL',
      stage: 'baud',
      retryable: true,
    });
    expect(slot().state).toBe('da');
  });

  it('noisy line above 460800 with fallback: loopback fails at 921600, passes at 460800', async () => {
    const retries: { baud: number; code: string }[] = [];
    const result = await flashWith(
      { faults: { noisyLine: NOISY_ABOVE_460800 } },
      { fallback: true, onRetry: (baud, error) => retries.push({ baud, code: error.code }) },
    );
    expect(result.error).toBeUndefined();
    expect(retries).toEqual([{ baud: 460800, code: 'BAUD_CHANGE_FAIL' }]);
    expect(result).toMatchObject({
      ok: true,
      revisionAfter: NEW_REVISION,
      flash: { baud: 460800 },
    });
  });

  it('dead PSRAM → 2021 DA checksum mismatch in da_upload', async () => {
    const result = await flashWith({ faults: { deadPsram: true } });
    expect(result.error).toMatchObject({
      code: 'DA_CHECKSUM_MISMATCH',
      mtkCode: 2021,
      errorName: 'S_BROM_CHKSUM16_MEM_RESULT_DIFF',
      stage: 'da_upload',
      retryable: true,
    });
    expect(result.error?.message).toMatch(/SEND_DA 0x10020000/);
    expect(slot().state).toBe('brom');
  });

  it('bad flash sector → 4008 download fail in write, timings kept up to write', async () => {
    const rom = pkg.images.find((i) => i.name === 'ROM')!;
    expect(BAD_SECTOR).toBeGreaterThanOrEqual(rom.flashOffset);
    expect(BAD_SECTOR).toBeLessThan(rom.flashOffset + rom.data.length);
    const result = await flashWith({ faults: { badSector: BAD_SECTOR } });
    expect(result.error).toMatchObject({
      code: 'DOWNLOAD_FAIL',
      mtkCode: 4008,
      errorName: 'S_FT_DOWNLOAD_FAIL',
      stage: 'write',
      deviceStatus: 3014,
      retryable: true,
    });
    expect(result.revisionBefore).toBe(OLD_REVISION);
    // The failed attempt still tells the engineer where its time went, up to the failing stage.
    expect(Object.keys(result.stageTimings)).toEqual(
      expect.arrayContaining(['preflight', 'brom', 'da_upload', 'da_connect', 'format', 'write']),
    );
    expect(result.stageTimings).not.toHaveProperty('verify');
    expect(slot().state).toBe('da');
  });

  it('unknown flash id → 3011 NOR flash not found in da_connect, not retryable', async () => {
    const result = await flashWith({ faults: { unknownFlashId: true } });
    expect(result.error).toMatchObject({
      code: 'NOR_FLASH_NOT_FOUND',
      mtkCode: 3011,
      errorName: 'S_DA_NOR_FLASH_NOT_FOUND',
      stage: 'da_connect',
      deviceStatus: 3011,
      retryable: false,
    });
    expect(slot().state).toBe('da');
  });

  it('wrong chip (MT6260) → refused in brom, not retryable', async () => {
    const result = await flashWith({ faults: { wrongChip: true } });
    expect(result.error).toMatchObject({
      code: 'CHIP_UNSUPPORTED',
      mtkCode: 9104,
      errorName: 'FS_CHIP_NOT_FOR_PACKAGE',
      stage: 'brom',
      retryable: false,
    });
    expect(result.error?.message).toMatch(/0x6260/);
    expect(slot().state).toBe('brom');
  });

  it(
    'brown-out mid-write → 4008 in write, no AT; the next power cycle flashes it',
    { timeout: 60_000 },
    async () => {
      // The dead module never answers again: 1 s of silence is enough to call it (default 10 s).
      const first = await flashWith(
        { faults: { brownOutAfterBytes: 20_000 } },
        { deviceTimeoutMs: 1000 },
      );
      expect(first.error).toMatchObject({
        code: 'DOWNLOAD_FAIL',
        mtkCode: 4008,
        stage: 'write',
        retryable: true,
      });
      // Half-written ROM: the module no longer boots to AT, but its boot ROM is intact.
      expect(slot().state).toBe('dead');
      const { jig, port } = bench.current;
      const second = await runFlashJob(port, {
        package: pkg,
        da,
        power: power(jig),
        baud: 921600,
        postflight: true,
      });
      expect(second.error).toBeUndefined();
      expect(second).toMatchObject({ ok: true, revisionAfter: NEW_REVISION });
      expect(slot()).toMatchObject({ state: 'at', revision: NEW_REVISION });
    },
  );

  it('adapter unplugged mid-flash → port disconnected in write, tty gone', async () => {
    const result = await flashWith({ adapterFaults: { unplugAfterDaBytes: 20_000 } });
    expect(result.error).toMatchObject({
      code: 'PORT_DISCONNECTED',
      mtkCode: 9001,
      errorName: 'FS_PORT_DISCONNECTED',
      stage: 'write',
      retryable: true,
    });
    expect(slot()).toMatchObject({ plugged: false, state: 'da' });
    expect(existsSync(slot().path)).toBe(false);
  });

  it('slow erase → 4011 format fail in format', async () => {
    // Erase ×2000 slower than the part's datasheet: far beyond the 1 s this test allows.
    const result = await flashWith({ faults: { slowErase: 2000 } }, { deviceTimeoutMs: 1000 });
    expect(result.error).toMatchObject({
      code: 'FORMAT_FAIL',
      mtkCode: 4011,
      errorName: 'S_FT_FORMAT_FAIL',
      stage: 'format',
      retryable: true,
    });
    expect(result.stageTimings).not.toHaveProperty('write');
    expect(slot().state).toBe('da');
  });

  it('IMEI differs from the label → IMEI mismatch in preflight, nothing flashed', async () => {
    const result = await flashWith({ faults: { imeiMismatch: true } });
    expect(result.error).toMatchObject({
      code: 'IMEI_MISMATCH',
      mtkCode: 9403,
      errorName: 'FS_IMEI_MISMATCH',
      stage: 'preflight',
      retryable: false,
    });
    expect(result.imei).toMatch(/^\d{15}$/);
    expect(result.imei).not.toBe(bench.current.jig.slots[0]!.imei);
    expect(result.flash).toBeUndefined();
    expect(slot()).toMatchObject({ state: 'at', revision: OLD_REVISION });
  });

  it('a module silent at preflight (switched off), not the labelled one → flashed, IMEI mismatch in postflight', async () => {
    // Silence is a module without firmware (protocol.md "preflight"), so nothing can be checked
    // before the flash: the label check falls to the postflight, after the module was rewritten.
    const result = await flashWith({ faults: { imeiMismatch: true }, poweredAtStart: false });
    expect(result.error).toMatchObject({
      code: 'IMEI_MISMATCH',
      errorName: 'FS_IMEI_MISMATCH',
      stage: 'postflight',
      retryable: false,
    });
    expect(result.revisionBefore).toBeUndefined();
    expect(result.revisionAfter).toBe(NEW_REVISION);
    expect(result.imei).toMatch(/^\d{15}$/);
    expect(result.imei).not.toBe(bench.current.jig.slots[0]!.imei);
    expect(slot()).toMatchObject({ state: 'at', revision: NEW_REVISION });
  });

  it('adapter-level noise → AT no response in preflight', async () => {
    const result = await flashWith({
      adapterFaults: { noise: { byteErrorRate: 0.01, seed: 5 } },
    });
    expect(result.error).toMatchObject({
      code: 'AT_NO_RESPONSE',
      mtkCode: 9401,
      errorName: 'FS_AT_NO_RESPONSE',
      stage: 'preflight',
      retryable: true,
    });
    expect(slot().state).toBe('at');
  });
});
