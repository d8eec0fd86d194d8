// The flash plan (#11 §3): boot loaders and CBR, firmware-upgrade vs format-all, and the flash
// part from the package's external_memory list, all decided before any byte is sent.
import { describe, expect, it } from 'vitest';
import { FlashError } from '../errors/flash-error';
import { bootLoaderProfile, blInfoAttribute } from '../da/boot-loader';
import { loadFirmwarePackage } from './firmware-package';
import { beyondPart, flashLimit, partSizeOf, planFlash } from './flash-plan';
import { makeSyntheticImage, makeSyntheticPackage } from './synthetic';
import { GFH_TYPE } from './gfh';
import type { JedecId } from '../da/flash-table';

const MIB = 1024 * 1024;
const id = (manufacturer: number, memoryType: number, capacity: number): JedecId => ({
  manufacturer,
  memoryType,
  capacity,
});

function pkg(options: { flashIds?: JedecId[]; vivaSize?: number; noBootLoader?: boolean } = {}) {
  const s = makeSyntheticPackage({
    revision: 'A1',
    vivaSize: options.vivaSize,
    ...(options.flashIds ? { flashIds: options.flashIds } : {}),
  });
  const text = options.noBootLoader
    ? s.cfgText.replace(
        /boot_region:\n {2}alignment: block\n {2}rom:\n {4}- file: \S+\n/,
        'boot_region:\n  rom:\n',
      )
    : s.cfgText;
  return loadFirmwarePackage(text, (name) => s.files[name], s.cfgName);
}

function errorOf(fn: () => unknown): FlashError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FlashError) return error;
    throw error;
  }
  throw new Error('expected a FlashError');
}

describe('flash plan', () => {
  it('firmware-upgrade is the default: main region only, no CBR, no boot loaders, no format', () => {
    const plan = planFlash(pkg());
    expect(plan).toMatchObject({ mode: 'firmware-upgrade', formatAll: false, cbr: false });
    expect(plan.bootLoaders).toEqual([]);
    expect(plan.blocks.map((b) => b.type)).toEqual([GFH_TYPE.PRIMARY_MAUI, GFH_TYPE.VIVA]);
  });

  it('firmware-upgrade with boot loaders adds CBR and the package boot loaders', () => {
    const plan = planFlash(pkg(), { bootLoaders: true });
    expect(plan.cbr).toBe(true);
    expect(plan.formatAll).toBe(false);
    expect(plan.bootLoaders.map((b) => [b.name, b.fileType, b.blAttr])).toEqual([
      ['BOOTLOADER_A1.bin', GFH_TYPE.ARM_BL, 1],
    ]);
  });

  it('format-all formats the whole part and writes the boot loaders back', () => {
    const plan = planFlash(pkg(), { mode: 'format-all' });
    expect(plan).toMatchObject({ mode: 'format-all', formatAll: true, cbr: true });
    expect(plan.bootLoaders).toHaveLength(1);
  });

  it('refuses format-all without boot loaders, and boot loaders the package does not have', () => {
    expect(
      errorOf(() => planFlash(pkg(), { mode: 'format-all', bootLoaders: false })).message,
    ).toMatch(/format-all erases the boot loaders/);
    const bare = pkg({ noBootLoader: true });
    expect(bare.bootLoaders).toEqual([]);
    const e = errorOf(() => planFlash(bare, { mode: 'format-all' }));
    expect(e).toMatchObject({ code: 'INVALID_IMAGE', stage: 'package' });
    expect(e.message).toMatch(/without a boot loader; use firmware-upgrade/);
    expect(planFlash(bare).bootLoaders).toEqual([]);
  });

  it('refuses an unknown mode', () => {
    expect(() => planFlash(pkg(), { mode: 'erase-everything' as never })).toThrow(/flash mode/);
  });

  it('refuses a boot loader without a GFH BL_INFO block, as MediaTek does (801)', () => {
    const s = makeSyntheticPackage({ revision: 'A1' });
    const bl = makeSyntheticImage({
      type: GFH_TYPE.ARM_BL,
      loadAddress: 0x70006000,
      size: 8136,
      seed: 5,
    });
    expect(blInfoAttribute(bl)).toBeUndefined();
    const loaded = loadFirmwarePackage(
      s.cfgText,
      (name) => (name.startsWith('BOOTLOADER') ? bl : s.files[name]),
      s.cfgName,
    );
    expect(errorOf(() => planFlash(loaded, { bootLoaders: true })).message).toMatch(
      /no GFH BL_INFO/,
    );
  });

  it('boot-loader profile: the fields and order of the RePhone FlashTool log', () => {
    const profile = bootLoaderProfile({
      name: 'INT_BOOTLOADER',
      data: new Uint8Array(0x1c68),
      fileType: 1,
      loadAddress: 0x70006000,
      fileLength: 0x1c68,
      maxSize: 0xffffffff,
      contentOffset: 0x140,
      fileInfoAttr: 1,
      blAttr: 1,
    });
    expect(Buffer.from(profile).toString('hex')).toBe(
      [
        '5a07',
        '0001',
        '70006000',
        '70007c68',
        '00000001',
        'ffffffff',
        '00',
        '00000140',
        '00000000',
        '00001c68',
        '00',
        '00',
        '00000001',
      ].join(''),
    );
  });

  it('part size from the JEDEC capacity byte, Macronix 1.8 V codes included', () => {
    expect(partSizeOf(id(0xc8, 0x60, 0x16))).toBe(4 * MIB);
    expect(partSizeOf(id(0xef, 0x60, 0x18))).toBe(16 * MIB);
    expect(partSizeOf(id(0xc2, 0x25, 0x36))).toBe(4 * MIB);
    expect(partSizeOf(id(0xc2, 0x25, 0x38))).toBe(16 * MIB);
    expect(partSizeOf(id(0x1f, 0x86, 0x01))).toBeUndefined();
  });

  it('external_memory selects the part: the smaller of its size and the reported one', () => {
    const p = pkg({ flashIds: [id(0xc8, 0x60, 0x16), id(0xef, 0x60, 0x18)] });
    expect(flashLimit(p, id(0xc8, 0x60, 0x16), 16 * MIB)).toBe(4 * MIB);
    expect(flashLimit(p, id(0xef, 0x60, 0x18), 16 * MIB)).toBe(16 * MIB);
    expect(flashLimit(p, id(0x1f, 0x86, 0x01), 8 * MIB)).toBe(8 * MIB);
  });

  it('an image beyond every listed part is refused before any byte, with a hint', () => {
    // ROM 96 KiB at 0x20000 + a 4 MiB VIVA ends past the 4 MiB GD25LQ32 the package lists.
    const tooBig = pkg({ flashIds: [id(0xc8, 0x60, 0x16)], vivaSize: 4 * MIB });
    const e = errorOf(() => planFlash(tooBig));
    expect(e).toMatchObject({ code: 'INVALID_IMAGE', stage: 'package' });
    expect(e.message).toMatch(
      /beyond the 4 MiB of the largest part in external_memory \(C8 60 16\)/,
    );
    expect(e.message).toMatch(/larger flash part/);
    // The same images fit when the package also lists a 16 MiB part.
    const big = planFlash(
      pkg({ flashIds: [id(0xc8, 0x60, 0x16), id(0xef, 0x60, 0x18)], vivaSize: 4 * MIB }),
    );
    expect(beyondPart(big, 4 * MIB, 'a 4 MiB part')).toMatch(/beyond the 4 MiB of a 4 MiB part/);
    expect(beyondPart(big, 16 * MIB, 'a 16 MiB part')).toBeUndefined();
  });
});
