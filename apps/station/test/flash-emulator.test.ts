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

  it('formats the FAT area after writing when asked (old user files are gone)', async () => {
    bench = await openBench();
    const { jig, port } = bench;
    const module = jig.slots[0]!.module;
    // Leave "user files" in the FAT area as an earlier firmware would have.
    const fatRange = { begin: 0x3a0000, length: 0x60000 };
    module.flash.program(fatRange.begin + 0x1000, new Uint8Array(512).fill(0x42));
    const result = await runFlashJob(port, {
      package: demoPackage('MC60CAR01A13'),
      da: demoDa('raw'),
      baud: 921600,
      power: { cycle: () => jig.power(1, 'cycle') },
      postflight: true,
      formatFat: true,
    });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ ok: true, revisionAfter: 'MC60CAR01A13' });
    expect(module.readFlash(fatRange.begin + 0x1000, 512)).toEqual(new Uint8Array(512).fill(0xff));
  }, 60_000);
});
