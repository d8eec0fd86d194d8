// Every emulator fault profile against the station's real host (packages/mtk): what the host
// sees and the error it reports. Real socat ptys and serialport; the module is the emulator.
// Pacing is off here (the symptoms do not depend on line rate) to keep the suite quick.
import { afterEach, describe, expect, it } from 'vitest';
import {
  runFlashJob,
  type FlashErrorCode,
  type FlashJobOptions,
  type FlashStage,
} from '@station/mtk';
import type { SlotConfig } from '@station/emulator';
import { moduleState, NEW_REVISION, openBench, type Bench } from './emulator-harness';

let bench: Bench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

async function flash(config: Omit<SlotConfig, 'slot'>, options: Partial<FlashJobOptions> = {}) {
  bench = await openBench({
    pacing: false,
    slots: [{ slot: 1, revision: 'MC60CAR01A03', ...config }],
  });
  if (config.poweredAtStart !== false && !config.faults?.noHandshake)
    await moduleState(bench.jig, 'at');
  return runFlashJob(bench.transport, {
    package: bench.pkg,
    da: bench.da,
    power: bench.power,
    baud: 921600,
    preflight: true,
    postflight: true,
    expectedImei: bench.jig.slots[0]!.imei,
    handshakeTimeoutMs: 3000,
    ...options,
  });
}

interface Case {
  fault: string;
  config: Omit<SlotConfig, 'slot'>;
  code: FlashErrorCode;
  stage: FlashStage;
  deviceStatus?: number;
  /** What the module is doing afterwards (the symptom's cause, seen from the jig). */
  moduleState: string;
}

const cases: Case[] = [
  {
    fault: 'powered too early',
    config: { faults: { noHandshake: 'powered-too-early' } },
    code: 'BROM_HANDSHAKE_TIMEOUT',
    stage: 'brom',
    moduleState: 'at',
  },
  {
    fault: 'no power',
    config: { faults: { noHandshake: 'no-power' }, poweredAtStart: false },
    code: 'BROM_HANDSHAKE_TIMEOUT',
    stage: 'brom',
    moduleState: 'off',
  },
  {
    fault: 'wrong chip (MT6260)',
    config: { faults: { wrongChip: true } },
    code: 'CHIP_UNSUPPORTED',
    stage: 'brom',
    moduleState: 'brom',
  },
  {
    fault: 'dead PSRAM',
    config: { faults: { deadPsram: true } },
    code: 'DA_CHECKSUM_MISMATCH',
    stage: 'da-upload',
    moduleState: 'brom',
  },
  {
    fault: 'unknown flash id',
    config: { faults: { unknownFlashId: true } },
    code: 'NOR_FLASH_NOT_FOUND',
    stage: 'da-connect',
    deviceStatus: 3011,
    moduleState: 'da',
  },
  {
    fault: 'bad flash sector',
    config: { faults: { badSector: 0x28000 } },
    code: 'DOWNLOAD_FAIL',
    stage: 'write',
    deviceStatus: 3014,
    moduleState: 'da',
  },
  {
    fault: 'noisy line above 460800',
    config: { faults: { noisyLine: { aboveBaud: 460800, byteErrorRate: 0.02, seed: 3 } } },
    code: 'BAUD_CHANGE_FAIL',
    stage: 'baud',
    moduleState: 'da',
  },
  {
    fault: 'brown-out mid-write',
    config: { faults: { brownOutAfterBytes: 20_000 } },
    code: 'DOWNLOAD_FAIL',
    stage: 'write',
    moduleState: 'dead',
  },
  {
    fault: 'adapter unplugged mid-flash',
    config: { adapterFaults: { unplugAfterDaBytes: 30_000 } },
    code: 'PORT_DISCONNECTED',
    stage: 'write',
    moduleState: 'da',
  },
  {
    fault: 'very slow erase',
    config: { faults: { slowErase: 2000 } },
    code: 'FORMAT_FAIL',
    stage: 'format',
    moduleState: 'da',
  },
  {
    fault: 'IMEI differs from label',
    config: { faults: { imeiMismatch: true } },
    code: 'IMEI_MISMATCH',
    stage: 'preflight',
    moduleState: 'at',
  },
  {
    fault: 'adapter-level noise',
    config: { adapterFaults: { noise: { byteErrorRate: 0.01, seed: 5 } } },
    code: 'AT_NO_RESPONSE',
    stage: 'preflight',
    moduleState: 'at',
  },
];

describe('host vs emulator fault profiles', () => {
  for (const c of cases) {
    it(`${c.fault} → ${c.code} at ${c.stage}`, { timeout: 60_000 }, async () => {
      const result = await flash(c.config);
      expect(result.ok).toBe(false);
      expect(result.error).toMatchObject({ code: c.code, stage: c.stage });
      if (c.deviceStatus !== undefined) expect(result.error?.deviceStatus).toBe(c.deviceStatus);
      expect(bench!.jig.slots[0]!.module.state).toBe(c.moduleState);
    });
  }

  it(
    'noisy line: the host falls back to 460800 and the flash passes',
    { timeout: 60_000 },
    async () => {
      const retries: number[] = [];
      const result = await flash(
        { faults: { noisyLine: { aboveBaud: 460800, byteErrorRate: 0.02, seed: 3 } } },
        { fallback: true, onRetry: (baud) => retries.push(baud) },
      );
      expect(result.error).toBeUndefined();
      expect(retries).toEqual([460800]);
      expect(result).toMatchObject({ ok: true, revisionAfter: NEW_REVISION });
    },
  );

  it(
    'brown-out leaves a half-written ROM: no AT, but the boot ROM still flashes it',
    { timeout: 60_000 },
    async () => {
      const first = await flash({ faults: { brownOutAfterBytes: 20_000 } });
      expect(first.error?.code).toBe('DOWNLOAD_FAIL');
      expect(bench!.jig.slots[0]!.module.state).toBe('dead');
      const second = await runFlashJob(bench!.transport, {
        package: bench!.pkg,
        da: bench!.da,
        power: bench!.power,
        baud: 921600,
        postflight: true,
      });
      expect(second.error).toBeUndefined();
      expect(second.revisionAfter).toBe(NEW_REVISION);
    },
  );
});
