// Full downloads against the emulator over real pseudo-terminals with the real serialport
// binding: the module's AT revision afterwards is the package's and its flash holds the images.
import { afterEach, describe, expect, it } from 'vitest';
import { runFlashJob } from '@station/mtk';
import { demoDa, demoPackage, openBench, type Bench } from './flash-helpers';

let bench: Bench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

describe('flash against the emulator (fast mode)', () => {
  it.each([115200, 460800, 921600])(
    'downloads a synthetic package at %i baud',
    async (baud) => {
      bench = await openBench();
      const { jig, port } = bench;
      const pkg = demoPackage('MC60CAR01A13');
      const result = await runFlashJob(port, {
        package: pkg,
        da: demoDa(baud === 460800 ? 'allinone' : 'raw'),
        baud,
        power: { cycle: () => jig.power(1, 'cycle') },
        preflight: true,
        postflight: true,
        expectedImei: jig.slots[0]!.imei,
        readback: baud === 921600,
      });
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({
        ok: true,
        revisionBefore: 'MC60CAR01A03',
        revisionAfter: 'MC60CAR01A13',
        imei: jig.slots[0]!.imei,
      });
      expect(result.flash).toMatchObject({ baud, flashId: '0x001660C8', bytes: 120 * 1024 });
      const module = jig.slots[0]!.module;
      for (const image of pkg.images) {
        expect(module.readFlash(image.flashOffset, image.data.length)).toEqual(image.data);
      }
      expect(jig.status()[0]!.revision).toBe('MC60CAR01A13');
    },
    60_000,
  );
});
