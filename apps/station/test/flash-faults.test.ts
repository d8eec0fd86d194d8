// Module and adapter faults injected by the emulator, seen through the real serial port: each
// ends in the catalogue error an engineer would expect (or in a successful lower-baud retry).
import { afterEach, describe, expect, it } from 'vitest';
import { runFlashJob, type FlashJobOptions } from '@station/mtk';
import type { SlotConfig } from '@station/emulator';
import { demoDa, demoPackage, openBench, type Bench } from './flash-helpers';

let bench: Bench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

async function flashSlot(slot: SlotConfig, extra: Partial<FlashJobOptions> = {}) {
  bench = await openBench({ slots: [slot] });
  const { jig, port } = bench;
  return runFlashJob(port, {
    package: demoPackage('MC60CAR01A13', 32 * 1024, 8 * 1024),
    da: demoDa(),
    baud: 921600,
    power: { cycle: () => jig.power(1, 'cycle') },
    handshakeTimeoutMs: 3000,
    preflight: true,
    postflight: true,
    ...extra,
  });
}

describe('flash faults against the emulator', () => {
  it('noisy line above 460800: loopback fails at 921600, retried and passed at 460800', async () => {
    const retries: number[] = [];
    const result = await flashSlot(
      {
        slot: 1,
        revision: 'MC60CAR01A03',
        faults: { noisyLine: { aboveBaud: 460800, byteErrorRate: 0.05, seed: 7 } },
      },
      { fallback: true, onRetry: (baud) => retries.push(baud) },
    );
    expect(result.error).toBeUndefined();
    expect(retries).toEqual([460800]);
    expect(result).toMatchObject({
      ok: true,
      revisionAfter: 'MC60CAR01A13',
      flash: { baud: 460800 },
    });
  }, 60_000);

  it('noisy line without fallback → 4006 S_FT_CHANGE_BAUDRATE_FAIL, retryable', async () => {
    const result = await flashSlot({
      slot: 1,
      faults: { noisyLine: { aboveBaud: 460800, byteErrorRate: 0.05, seed: 3 } },
    });
    expect(result.error).toMatchObject({
      mtkCode: 4006,
      errorName: 'S_FT_CHANGE_BAUDRATE_FAIL',
      stage: 'baud',
      retryable: true,
    });
  }, 60_000);

  it('bad flash sector → 4008 S_FT_DOWNLOAD_FAIL in write', async () => {
    const result = await flashSlot({
      slot: 1,
      revision: 'MC60CAR01A03',
      faults: { badSector: 0x24000 },
    });
    expect(result.error).toMatchObject({ mtkCode: 4008, stage: 'write' });
    expect(result.revisionBefore).toBe('MC60CAR01A03');
    // The failed attempt still tells the engineer where its time went, up to the failing stage.
    expect(Object.keys(result.stageTimings)).toEqual(
      expect.arrayContaining(['preflight', 'brom', 'da-upload', 'da-connect', 'format', 'write']),
    );
    expect(result.stageTimings).not.toHaveProperty('verify');
  }, 60_000);

  it('unknown flash id → 3011 S_DA_NOR_FLASH_NOT_FOUND', async () => {
    const result = await flashSlot({ slot: 1, faults: { unknownFlashId: true } });
    expect(result.error).toMatchObject({
      mtkCode: 3011,
      errorName: 'S_DA_NOR_FLASH_NOT_FOUND',
      stage: 'da-connect',
      retryable: false,
    });
  }, 60_000);

  it('wrong chip (MT6260) → refused in BROM', async () => {
    const result = await flashSlot({ slot: 1, faults: { wrongChip: true } });
    expect(result.error).toMatchObject({ code: 'CHIP_UNSUPPORTED', stage: 'brom' });
    expect(result.error?.message).toMatch(/0x6260/);
  }, 60_000);

  it('dead PSRAM → DA2 checksum mismatch (2021) in da-upload', async () => {
    const result = await flashSlot({ slot: 1, faults: { deadPsram: true } });
    expect(result.error).toMatchObject({
      mtkCode: 2021,
      errorName: 'S_BROM_CHKSUM16_MEM_RESULT_DIFF',
      stage: 'da-upload',
    });
    expect(result.error?.message).toMatch(/SEND_DA 0x10020000/);
  }, 60_000);

  it('module never powered → 2006 S_BROM_CMD_STARTCMD_TIMEOUT', async () => {
    const result = await flashSlot(
      { slot: 1, faults: { noHandshake: 'no-power' } },
      { handshakeTimeoutMs: 1000 },
    );
    expect(result.error).toMatchObject({ mtkCode: 2006, stage: 'brom', retryable: true });
  }, 60_000);

  it('adapter unplugged mid-download → disconnected', async () => {
    const result = await flashSlot({ slot: 1, adapterFaults: { unplugAfterDaBytes: 20_000 } });
    expect(result.error).toMatchObject({ code: 'PORT_DISCONNECTED' });
  }, 60_000);

  it('module IMEI differs from the label → IMEI_MISMATCH', async () => {
    const label = '490154203237518';
    const result = await flashSlot(
      { slot: 1, imei: label, revision: 'MC60CAR01A03', faults: { imeiMismatch: true } },
      { expectedImei: label },
    );
    expect(result.error).toMatchObject({ code: 'IMEI_MISMATCH', stage: 'preflight' });
  }, 60_000);
});

describe('paced line', () => {
  it('keeps pacing on at 921600 with a small image and still verifies', async () => {
    bench = await openBench({
      pacing: true,
      usbLatencyMs: 1,
      slots: [{ slot: 1, revision: 'MC60CAR01A03' }],
    });
    const { jig, port } = bench;
    const pkg = demoPackage('MC60CAR01A14', 8 * 1024, 2 * 1024);
    const result = await runFlashJob(port, {
      package: pkg,
      da: demoDa(),
      baud: 921600,
      power: { cycle: () => jig.power(1, 'cycle') },
      postflight: true,
    });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({
      ok: true,
      revisionAfter: 'MC60CAR01A14',
      flash: { baud: 921600 },
    });
    for (const image of pkg.images) {
      expect(jig.slots[0]!.module.readFlash(image.flashOffset, image.data.length)).toEqual(
        image.data,
      );
    }
  }, 60_000);
});
