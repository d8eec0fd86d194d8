// The station's host (packages/mtk) flashes an emulated MC60 end to end over a real pty.
import { afterEach, describe, expect, it } from 'vitest';
import { runFlashJob } from '@station/mtk';
import { moduleState, NEW_REVISION, openBench, type Bench } from './emulator-harness';

let bench: Bench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

describe('host flashes a healthy virtual module', () => {
  it(
    'preflight AT, power cycle, DA, 921600, write, verify, reset, postflight revision',
    { timeout: 90_000 },
    async () => {
      bench = await openBench({ slots: [{ slot: 1, revision: 'MC60CAR01A03' }] });
      await moduleState(bench.jig, 'at');
      const result = await runFlashJob(bench.transport, {
        package: bench.pkg,
        da: bench.da,
        power: bench.power,
        baud: 921600,
        preflight: true,
        postflight: true,
        expectedImei: bench.jig.slots[0]!.imei,
      });
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({
        ok: true,
        revisionBefore: 'MC60CAR01A03',
        revisionAfter: NEW_REVISION,
      });
      expect(bench.jig.slots[0]!.module.revision()).toBe(NEW_REVISION);
    },
  );
});
