// MediaTek's full flow against the emulator over real pseudo-terminals (#11 §3): boot loaders
// with FORMAT_CBR / GET_CBR, firmware-upgrade (NVRAM and file system kept) versus format-all
// (whole part formatted), and images beyond the flash part refused before any byte is written.
import { describe, expect, it } from 'vitest';
import {
  loadFirmwarePackage,
  makeSyntheticPackage,
  runFlashJob,
  TraceRecorder,
  type FirmwarePackage,
  type FlashJobOptions,
} from '@station/mtk';
import { demoDa, demoPackage, NEW_REVISION, OLD_REVISION, power } from './flash-helpers';
import { benchPerTest } from './bench-per-test';

const bench = benchPerTest();

/** Stand-ins for what a running module keeps outside its images (4 MiB part). */
const NVRAM = { at: 0x300000, bytes: new Uint8Array(256).fill(0x4e) };
const FILE_SYSTEM = { at: 0x3a1000, bytes: new Uint8Array(512).fill(0x46) };
const ERASED = (n: number): Uint8Array => new Uint8Array(n).fill(0xff);

async function flash(pkg: FirmwarePackage, options: Partial<FlashJobOptions>) {
  const { jig, port } = await bench.open();
  const module = jig.slots[0]!.module;
  module.flash.program(NVRAM.at, NVRAM.bytes);
  module.flash.program(FILE_SYSTEM.at, FILE_SYSTEM.bytes);
  const trace = new TraceRecorder();
  const result = await runFlashJob(port, {
    package: pkg,
    da: demoDa(),
    baud: 921600,
    power: power(jig),
    preflight: true,
    postflight: true,
    trace,
    ...options,
  });
  const commands = trace.snapshot().entries.map((e) => e.cmd);
  return { result, module, commands, jig };
}

describe('full flow against the emulator', () => {
  it('firmware-upgrade (the default) writes the images only and keeps NVRAM and the file system', async () => {
    const pkg = demoPackage(NEW_REVISION);
    const { result, module, commands } = await flash(pkg, {});
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({
      ok: true,
      revisionBefore: OLD_REVISION,
      revisionAfter: NEW_REVISION,
    });
    expect(result.flash?.plan).toEqual({
      mode: 'firmware-upgrade',
      bootLoaders: [],
      formatAll: false,
    });
    expect(commands).not.toContain('FORMAT_CBR');
    expect(commands).not.toContain('DOWNLOAD_BL');
    expect(module.readFlash(NVRAM.at, NVRAM.bytes.length)).toEqual(NVRAM.bytes);
    expect(module.readFlash(FILE_SYSTEM.at, FILE_SYSTEM.bytes.length)).toEqual(FILE_SYSTEM.bytes);
    // Nothing was written to the boot region.
    expect(module.readFlash(0, 4096)).toEqual(ERASED(4096));
  }, 60_000);

  it('firmware-upgrade with boot loaders: FORMAT_CBR, the boot loader at 0, GET_CBR; NVRAM and FS kept', async () => {
    const pkg = demoPackage(NEW_REVISION);
    const { result, module, commands } = await flash(pkg, { bootLoaders: true });
    expect(result.error).toBeUndefined();
    expect(result.revisionAfter).toBe(NEW_REVISION);
    expect(result.flash?.plan.bootLoaders).toEqual([pkg.bootLoaders[0]!.name]);
    const order = ['FORMAT_CBR', 'FORMAT_HB', 'DOWNLOAD_BL', 'BL_END', 'GET_CBR', 'MEM'].map((c) =>
      commands.indexOf(c),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const bl = pkg.bootLoaders[0]!.data;
    expect(module.readFlash(0, bl.length)).toEqual(bl);
    expect(module.readFlash(NVRAM.at, NVRAM.bytes.length)).toEqual(NVRAM.bytes);
    expect(module.readFlash(FILE_SYSTEM.at, FILE_SYSTEM.bytes.length)).toEqual(FILE_SYSTEM.bytes);
    // Boot-loader bytes count as written bytes.
    expect(result.flash?.bytes).toBe(bl.length + 120 * 1024);
  }, 60_000);

  it('format-all formats the whole part: NVRAM and the file system are gone, everything is rewritten', async () => {
    const pkg = demoPackage(NEW_REVISION);
    const { result, module, commands } = await flash(pkg, { mode: 'format-all' });
    expect(result.error).toBeUndefined();
    expect(result.revisionAfter).toBe(NEW_REVISION);
    expect(result.flash?.plan).toMatchObject({ mode: 'format-all', formatAll: true });
    expect(commands.indexOf('FORMAT')).toBeLessThan(commands.indexOf('FORMAT_CBR'));
    expect(module.readFlash(NVRAM.at, NVRAM.bytes.length)).toEqual(ERASED(NVRAM.bytes.length));
    expect(module.readFlash(FILE_SYSTEM.at, FILE_SYSTEM.bytes.length)).toEqual(
      ERASED(FILE_SYSTEM.bytes.length),
    );
    const bl = pkg.bootLoaders[0]!.data;
    expect(module.readFlash(0, bl.length)).toEqual(bl);
    for (const image of pkg.images)
      expect(module.readFlash(image.flashOffset, image.data.length)).toEqual(image.data);
  }, 60_000);

  it('an image beyond the package parts is refused before the module is touched', async () => {
    // 96 KiB ROM at 0x20000 and a 4 MiB VIVA: past the only part the package lists (4 MiB).
    const s = makeSyntheticPackage({
      revision: NEW_REVISION,
      vivaSize: 4 * 1024 * 1024,
      flashIds: [{ manufacturer: 0xc8, memoryType: 0x60, capacity: 0x16 }],
    });
    const pkg = loadFirmwarePackage(s.cfgText, (name) => s.files[name], s.cfgName);
    const { result, module, commands } = await flash(pkg, { preflight: false });
    expect(result.error).toMatchObject({ code: 'INVALID_IMAGE', stage: 'package' });
    expect(result.error?.message).toMatch(/larger flash part/);
    expect(commands.filter((c) => c !== 'INVALID_IMAGE')).toEqual([]);
    expect(module.revision()).toBe(OLD_REVISION);
  }, 60_000);

  it('an image beyond the part the DA reports is refused before the first write', async () => {
    // No external_memory list: only the DA's report (4 MiB) can tell the part is too small.
    const s = makeSyntheticPackage({
      revision: NEW_REVISION,
      vivaSize: 4 * 1024 * 1024,
      flashIds: [],
    });
    const pkg = loadFirmwarePackage(s.cfgText, (name) => s.files[name], s.cfgName);
    const { result, module, commands } = await flash(pkg, { preflight: false });
    expect(result.error).toMatchObject({ code: 'SET_DOWNLOAD_BLOCK_FAIL', stage: 'da_connect' });
    expect(result.error?.message).toMatch(/beyond the 4 MiB of the module's C8 60 16 part/);
    expect(commands).not.toContain('MEM');
    expect(commands).not.toContain('WRITE');
    expect(module.revision()).toBe(OLD_REVISION);
  }, 60_000);
});
