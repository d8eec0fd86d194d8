// Full downloads against the emulator over real pseudo-terminals with the real serialport
// binding: the module's AT revision afterwards is the package's and its flash holds the images.
import { describe, expect, it } from 'vitest';
import { runFlashJob, type FirmwarePackage, type Transport } from '@station/mtk';
import type { VirtualJig } from '@station/emulator';
import {
  demoDa,
  demoPackage,
  moduleState,
  NEW_REVISION,
  OLD_REVISION,
  power,
} from './flash-helpers';
import { benchPerTest } from './bench-per-test';

const bench = benchPerTest();

function expectImagesInFlash(jig: VirtualJig, pkg: FirmwarePackage): void {
  const module = jig.slots[0]!.module;
  for (const image of pkg.images) {
    expect(module.readFlash(image.flashOffset, image.data.length)).toEqual(image.data);
  }
}

describe('flash against the emulator (fast mode)', () => {
  it.each([115200, 460800, 921600])(
    'downloads a synthetic package at %i baud',
    async (baud) => {
      const { jig, port } = await bench.open();
      const pkg = demoPackage(NEW_REVISION);
      const result = await runFlashJob(port, {
        package: pkg,
        da: demoDa(baud === 460800 ? 'allinone' : 'raw'),
        baud,
        power: power(jig),
        preflight: true,
        postflight: true,
        expectedImei: jig.slots[0]!.imei,
        readback: baud === 921600,
      });
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({
        ok: true,
        revisionBefore: OLD_REVISION,
        revisionAfter: NEW_REVISION,
        imei: jig.slots[0]!.imei,
      });
      expect(result.flash).toMatchObject({ baud, flashId: '0x001660C8', bytes: 120 * 1024 });
      // Readback (DA READ, compared byte for byte) runs only when asked for.
      expect('readback' in result.stageTimings).toBe(baud === 921600);
      expectImagesInFlash(jig, pkg);
      expect(jig.status()[0]!.revision).toBe(NEW_REVISION);
    },
    60_000,
  );

  it('formats the FAT area after writing when asked (old user files are gone)', async () => {
    const { jig, port } = await bench.open();
    const module = jig.slots[0]!.module;
    // Leave "user files" in the FAT area as an earlier firmware would have.
    const fatRange = { begin: 0x3a0000, length: 0x60000 };
    module.flash.program(fatRange.begin + 0x1000, new Uint8Array(512).fill(0x42));
    const result = await runFlashJob(port, {
      package: demoPackage(NEW_REVISION),
      da: demoDa('raw'),
      baud: 921600,
      power: power(jig),
      postflight: true,
      formatFat: true,
    });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ ok: true, revisionAfter: NEW_REVISION });
    expect(module.readFlash(fatRange.begin + 0x1000, 512)).toEqual(new Uint8Array(512).fill(0xff));
  }, 60_000);
});

describe('flash against the emulator (paced line)', () => {
  it(
    'paced at 921600 with USB latency: preflight AT, power cycle, DA, write, verify, reset, postflight',
    { timeout: 90_000 },
    async () => {
      const { jig, port } = await bench.open({ pacing: true, usbLatencyMs: 1 });
      await moduleState(jig, 'at');
      const pkg = demoPackage(NEW_REVISION, 64 * 1024, 16 * 1024);
      const result = await runFlashJob(port, {
        package: pkg,
        da: demoDa(),
        power: power(jig),
        baud: 921600,
        preflight: true,
        postflight: true,
        expectedImei: jig.slots[0]!.imei,
      });
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({
        ok: true,
        revisionBefore: OLD_REVISION,
        revisionAfter: NEW_REVISION,
        flash: { baud: 921600 },
      });
      expectImagesInFlash(jig, pkg);
      expect(jig.slots[0]!.module.revision()).toBe(NEW_REVISION);
    },
  );
});

describe('cancel (SIGTERM) against the emulator', () => {
  it('an abort while a DA write waits on the paced line ends the flash within a second', async () => {
    const { jig, port } = await bench.open({ pacing: true });
    // The real transport, watched: is a write pending when the abort comes?
    let writing = false;
    const watched: Transport = {
      write: async (data, timeoutMs, signal, options) => {
        writing = true;
        try {
          await port.write(data, timeoutMs, signal, options);
        } finally {
          writing = false;
        }
      },
      read: (length, timeoutMs, signal) => port.read(length, timeoutMs, signal),
      setBaudRate: (baud) => port.setBaudRate(baud),
      discardInput: () => port.discardInput(),
      close: () => port.close(),
    };
    const controller = new AbortController();
    let abortedAt: number | undefined;
    let abortedMidWrite = false;
    const result = await runFlashJob(watched, {
      package: demoPackage(NEW_REVISION),
      da: demoDa(),
      power: power(jig),
      baud: 921600,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage !== 'da_upload' || p.percent < 30 || abortedAt !== undefined) return;
        abortedAt = 0;
        // Past what the ptys buffer, each 1 KiB waits for the module to take it at 115200.
        setTimeout(() => {
          abortedMidWrite = writing;
          abortedAt = performance.now();
          controller.abort(new Error('SIGTERM'));
        }, 30);
      },
    });
    expect(performance.now() - abortedAt!).toBeLessThan(1000);
    expect(abortedMidWrite).toBe(true);
    expect(result).toMatchObject({ ok: false, error: { code: 'CANCELED', stage: 'da_upload' } });
    expect(jig.slots[0]!.module.state).toBe('brom');
  });
});
