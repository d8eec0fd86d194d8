import { describe, expect, it } from 'vitest';
import { FlashError } from '../errors/flash-error';
import { parseCfg } from './cfg';
import { parseAllInOne, parseDaFile, RAW_DA } from './da-file';
import { loadFirmwarePackage, packageAllowsFlash } from './firmware-package';
import { GFH_TYPE, parseGfh } from './gfh';
import { revisionFromBuildName, revisionFromRom } from './revision';
import {
  GD25LQ32,
  makeSyntheticDa,
  makeSyntheticPackage,
  SYNTHETIC_DA_FLASH_IDS,
} from './synthetic';

function load(mutate?: (files: Record<string, Uint8Array | undefined>) => string | void) {
  const p = makeSyntheticPackage({ revision: 'MC60CAR01A13', romSize: 8192, vivaSize: 1000 });
  const files: Record<string, Uint8Array | undefined> = { ...p.files };
  const cfg = mutate?.(files) ?? p.cfgText;
  return () => loadFirmwarePackage(cfg, (n) => files[n], p.cfgName);
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

describe('firmware package', () => {
  it('loads the synthetic package: images by flash offset, revision, flash ids', () => {
    const pkg = load()();
    expect(pkg.revision).toBe('MC60CAR01A13');
    expect(pkg.cfg.platform).toBe('MT6261');
    expect(pkg.images.map((i) => [i.name, i.gfh.fileType, i.flashOffset])).toEqual([
      ['ROM', GFH_TYPE.PRIMARY_MAUI, 0x20000],
      ['VIVA', GFH_TYPE.VIVA, 0x22000],
    ]);
    expect(pkg.bootLoaders[0]!.gfh.loadAddress).toBe(0x70006000);
    expect(pkg.cfg.flashIds).toHaveLength(6);
    expect(packageAllowsFlash(pkg, GD25LQ32)).toBe(true);
    expect(packageAllowsFlash(pkg, { manufacturer: 0xc8, memoryType: 0x60, capacity: 0x18 })).toBe(
      false,
    );
  });

  it.each([
    [
      'missing file',
      (f: Record<string, Uint8Array | undefined>) => void (f['VIVA'] = undefined),
      /VIVA: named by .* not found/,
    ],
    [
      'truncated image',
      (f: Record<string, Uint8Array | undefined>) => void (f['ROM'] = f['ROM']!.subarray(0, 5000)),
      /ROM: file is truncated: header length 8192, file 5000/,
    ],
    [
      'not a GFH image',
      (f: Record<string, Uint8Array | undefined>) => void (f['VIVA'] = new Uint8Array(100)),
      /VIVA: no GFH header/,
    ],
    [
      'too short for a header',
      (f: Record<string, Uint8Array | undefined>) => void (f['VIVA'] = new Uint8Array(10)),
      /too short for a GFH header/,
    ],
  ])('INVALID_IMAGE: %s', (_name, mutate, message) => {
    const e = errorOf(load(mutate));
    expect(e).toMatchObject({ code: 'INVALID_IMAGE', mtkCode: 9301, stage: 'package' });
    expect(e.message).toMatch(message);
  });

  it('INVALID_IMAGE when the ROM carries no build name', () => {
    const e = errorOf(
      load((f) => {
        const rom = f['ROM']!.slice();
        rom.fill(0x41, 0x38, 0x100); // overwrite the name block
        f['ROM'] = rom;
      }),
    );
    expect(e.message).toMatch(/cannot tell the revision/);
  });

  it.each([
    ['not YAML', 'general: [unclosed', /not valid YAML/],
    ['no general', 'main_region:\n  rom:\n    - file: ROM\n', /missing "general"/],
    [
      'bad platform',
      'general:\n  platform: 42\nmain_region:\n  rom:\n    - file: ROM\n',
      /platform must be blank or name/,
    ],
    ['no main files', 'general:\n  platform: MT6261\nmain_region:\n  rom:\n', /lists no files/],
    [
      'entry without file',
      'general:\n  platform: MT6261\nmain_region:\n  rom:\n    - name: ROM\n',
      /rom\[0\] has no "file"/,
    ],
    [
      'path escape',
      'general:\n  platform: MT6261\nmain_region:\n  rom:\n    - file: ../ROM\n',
      /leaves the cfg folder/,
    ],
    [
      'bad flash id',
      'general:\n  platform: MT6261\nmain_region:\n  rom:\n    - file: ROM\nexternal_memory:\n  parameters:\n    - flash_info:\n        flash_id: [0x1FF]\n',
      /flash_id must be a list of bytes/,
    ],
  ])('INVALID_CFG_FILE: %s', (_name, text, message) => {
    const e = errorOf(() => parseCfg(text, 'x.cfg'));
    expect(e).toMatchObject({
      code: 'INVALID_CFG_FILE',
      mtkCode: 4073,
      errorName: 'S_FT_INVALID_CFG_FILE',
    });
    expect(e.message).toMatch(message);
  });

  it('parses a RePhone-style cfg with comments and empty regions', () => {
    const cfg = parseCfg(
      'general:\n    config_version : alpha # note\n    platform: MT2502\nboot_region:\n  rom:\n    - file: BL\ncontrol_block_region:\n  rom:\nmain_region:\n  rom:\n    - file: ROM\n    - file: VIVA\nexternal_memory:\n    parameters_version: v1\n    parameters:\n      - flash_info:\n            flash_type: SF\n            id_length: 3\n            flash_id:  [0xC2, 0x25, 0x38, 0x00, 0x00, 0x00, 0x00, 0x00]\n        memory_type: PSRAM_130MHz\n        EMI_Setting:\n',
    );
    expect(cfg).toEqual({
      platform: 'MT2502',
      configVersion: 'alpha',
      bootFiles: ['BL'],
      mainFiles: ['ROM', 'VIVA'],
      flashIds: [{ manufacturer: 0xc2, memoryType: 0x25, capacity: 0x38 }],
    });
  });

  it('GFH fields come from the little-endian header', () => {
    const rom = makeSyntheticPackage({ revision: 'A1', romSize: 4096 }).files['ROM']!;
    expect(parseGfh(rom, 'ROM')).toMatchObject({
      fileType: 0x100,
      loadAddress: 0x10020000,
      fileLength: 4096,
      flashDevice: 7,
    });
  });
});

describe('revision', () => {
  it('takes the segment before .bin up to the first underscore', () => {
    expect(
      revisionFromBuildName('QUECTEL03D_M2M_11C_PCB01_gprs_MT6261_S00.MC60CAR01A03_BETA0628.bin'),
    ).toBe('MC60CAR01A03');
    expect(revisionFromBuildName('QUECTEL_SYNTH_MT6261.MC60CAR01A13.bin')).toBe('MC60CAR01A13');
    expect(revisionFromBuildName('nodots.bin')).toBeUndefined();
  });

  it('finds the build name inside the ROM bytes', () => {
    const rom = new Uint8Array(4096);
    rom.set(
      new TextEncoder().encode(
        'junk\0QUECTEL03D_M2M_11C_PCB01_gprs_MT6261_S00.MC60CAR01A03_BETA0628.bin\0',
      ),
      0x100,
    );
    expect(revisionFromRom(rom)).toBe('MC60CAR01A03');
    expect(revisionFromRom(new Uint8Array(4096))).toBeUndefined();
  });
});

describe('DA files', () => {
  it('raw layout: DA1, DA2 and the flash table up to the terminator', () => {
    const da = parseDaFile(makeSyntheticDa());
    expect(da.format).toBe('raw');
    expect(da.da1).toMatchObject({ loadAddress: 0x70007000 });
    expect(da.da1.data.length).toBe(RAW_DA.da1.length);
    expect(da.da2.data.length).toBe(0x1e5c8);
    expect(da.flashTable).toHaveLength(SYNTHETIC_DA_FLASH_IDS.length);
    expect(Array.from(da.flashTable[3]!.subarray(0x12, 0x18))).toEqual([0xc8, 0, 0x60, 0, 0x16, 0]);
  });

  it('AllInOne container: finds the MT6261 entry behind another chip', () => {
    const raw = parseDaFile(makeSyntheticDa());
    const aio = parseDaFile(makeSyntheticDa({ format: 'allinone' }));
    expect(aio.format).toBe('allinone');
    expect(aio.da1.data).toEqual(raw.da1.data);
    expect(aio.da2).toEqual(raw.da2);
    expect(aio.flashTable).toEqual(raw.flashTable);
  });

  it('INVALID_DA_FILE for truncated, empty-table and foreign files', () => {
    const raw = makeSyntheticDa();
    expect(errorOf(() => parseDaFile(raw.subarray(0, 1000)))).toMatchObject({
      code: 'INVALID_DA_FILE',
      mtkCode: 5002,
    });
    const noTable = raw.slice();
    noTable.set([0xff, 0xff, 0, 0], RAW_DA.da2.offset + RAW_DA.da2.length);
    expect(errorOf(() => parseDaFile(noTable)).message).toMatch(/no NOR flash table/);
    const aio = makeSyntheticDa({ format: 'allinone' });
    const foreign = aio.slice();
    foreign[0x6c + 0xdc + 2] = 0x80; // MT6261 entry → 0x6280
    expect(errorOf(() => parseAllInOne(foreign)).message).toMatch(
      /no MT6261 .* entries: 0x6260, 0x6280/,
    );
    expect(errorOf(() => parseAllInOne(aio.subarray(0, 0x100))).message).toMatch(/truncated/);
  });
});
