// Packages and DA files as vendors ship them (#11 §1, §2): synthetic files in the real layouts.
import { describe, expect, it } from 'vitest';
import { FlashError } from '../errors/flash-error';
import { failureAction } from '../errors/outcome';
import { parseCfg } from './cfg';
import { parseDaFile, parseSplitDa } from './da-file';
import { recogniseDa, sha256Hex, type KnownDaFile } from './da-known';
import { describePackage, loadFirmwarePackage } from './firmware-package';
import { GFH_TYPE } from './gfh';
import { normaliseImageName, resolveImageName } from './image-names';
import { quectelRevision, readRomRevision, revisionFromBuildName } from './revision';
import { platformOfBuildName, readRomInfo } from './rom-info';
import {
  makeSyntheticDa,
  makeSyntheticImage,
  makeSyntheticPackage,
  makeSyntheticSplitDa,
  SYNTHETIC_DA_FLASH_IDS,
  SYNTHETIC_ROM_INFO_OFFSET,
} from './synthetic';

function errorOf(fn: () => unknown): FlashError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FlashError) return error;
    throw error;
  }
  throw new Error('expected a FlashError');
}

const MAUI_BUILD = 'SEEED02A_DEMO_PCB01_gprs_MT2502_S00.MAUI_11CW1418SP5_W15_19.bin';
const QUECTEL_BUILD = 'QUECTEL03D_M2M_11C_PCB01_gprs_MT6261_S00.MC60CAR01A03_BETA0628.bin';

/** A RePhone-like package: the real cfg's quirks around synthetic images. */
function vendorPackage(cfgText: (files: { rom: string; viva: string; bl: string }) => string) {
  const p = makeSyntheticPackage({
    revision: 'W1519',
    buildName: MAUI_BUILD,
    romInfoVersion: 'MAUI.11CW1418SP5.W15.19',
    romSize: 8192,
    vivaSize: 1000,
  });
  const files: Record<string, Uint8Array> = {
    FILE_01_mtk: p.files['ROM']!,
    file_02_MTK: p.files['VIVA']!,
    'images/INT_BOOTLOADER': p.files['BOOTLOADER_W1519.bin']!,
  };
  const text = cfgText({ rom: 'FILE_01_mtk', viva: 'FILE_02_mtk', bl: 'images\\INT_BOOTLOADER' });
  return { text, files, listing: Object.keys(files) };
}

const RAW_VENDOR_CFG = ({ rom, viva, bl }: { rom: string; viva: string; bl: string }) =>
  [
    ' ',
    'general:',
    '    config_version : alpha # config file version (alpha, beta is used before SQC done.)',
    '    platform:              # It is used for tool to identify the right setting',
    ' ',
    'boot_region:',
    '  alignment: block         # block[default], page(NAND:2K/512B, NOR: 1KB, eMMC: 512B, SF: 256B)',
    '  rom:',
    `    - file: ${bl}`,
    'control_block_region:',
    '  rom:',
    'main_region:',
    '\talignment: block',
    '\trom:',
    `    - file: ./${rom}`,
    `    - file: ${viva}   `,
    'file_system_region:',
    '  rom:',
    'external_memory: ',
    '    parameters_version:v1',
    '    parameters: ',
    '       # EMI 1',
    '     - flash_info:',
    '           flash_type: SF',
    '           id_length: 3',
    '           flash_id:  [0xC2, 0x25, 0x38, 0x00, 0x00, 0x00, 0x00, 0x00]',
    '       memory_type: PSRAM_166MHz',
    '       EMI_Setting:',
    '',
  ].join('\r\n');

describe('vendor cfgs', () => {
  it('accepts a blank platform, comments, CRLF, tabs, odd spacing; the chip comes from the ROM', () => {
    const v = vendorPackage(RAW_VENDOR_CFG);
    const pkg = loadFirmwarePackage(v.text, (n) => v.files[n], 'config_rephone.cfg', {
      listing: v.listing,
    });
    expect(pkg.cfg.platform).toBe('MT2502');
    expect(pkg.platformSource).toBe('rom');
    expect(pkg.revision).toBe('MAUI.11CW1418SP5.W15.19');
    expect(pkg.revisionRule).toBe('maui-rominfo');
    expect(pkg.images.map((i) => [i.name, i.file, i.gfh.fileType])).toEqual([
      ['./FILE_01_mtk', 'FILE_01_mtk', GFH_TYPE.PRIMARY_MAUI],
      ['FILE_02_mtk', 'file_02_MTK', GFH_TYPE.VIVA],
    ]);
    expect(pkg.bootLoaders[0]!.file).toBe('images/INT_BOOTLOADER');
    expect(pkg.cfg.flashIds).toEqual([{ manufacturer: 0xc2, memoryType: 0x25, capacity: 0x38 }]);
    expect(describePackage(pkg)).toMatchObject({ platform: 'MT2502', platformSource: 'rom' });
  });

  it('a platform the cfg names is kept (chip check at flash time uses it)', () => {
    const cfg = parseCfg('general:\n  platform: mt6261\nmain_region:\n  rom:\n    - file: ROM\n');
    expect(cfg.platform).toBe('MT6261');
    expect(
      parseCfg('general:\n  platform:\nmain_region:\n  rom:\n    - file: ROM\n').platform,
    ).toBe('');
  });

  it('without a listing names must match exactly (the server and station store)', () => {
    const v = vendorPackage(RAW_VENDOR_CFG);
    const e = errorOf(() => loadFirmwarePackage(v.text, (n) => v.files[n], 'x.cfg'));
    expect(e.code).toBe('INVALID_IMAGE');
    expect(e.message).toMatch(/FILE_02_mtk: named by x.cfg but not found next to it$/);
  });

  it('refuses a blank platform when the ROM names no chip either', () => {
    const p = makeSyntheticPackage({ revision: 'A7', buildName: 'NOCHIP_BUILD.A7.bin' });
    const text = p.cfgText.replace('platform: MT6261', 'platform:');
    const e = errorOf(() => loadFirmwarePackage(text, (n) => p.files[n], p.cfgName));
    expect(e.code).toBe('INVALID_CFG_FILE');
    expect(e.message).toMatch(/general.platform is blank and ROM's build name .* names no MTxxxx/);
  });

  it('refuses a main-region image that overlaps the boot-loader region', () => {
    const p = makeSyntheticPackage({ revision: 'A8', romSize: 8192, vivaSize: 1000 });
    const files: Record<string, Uint8Array> = {
      ...p.files,
      VIVA: makeSyntheticImage({
        type: GFH_TYPE.VIVA,
        loadAddress: 0x1001f000,
        size: 1000,
        seed: 3,
      }),
    };
    const e = errorOf(() => loadFirmwarePackage(p.cfgText, (n) => files[n], p.cfgName));
    expect(e.code).toBe('INVALID_IMAGE');
    expect(e.message).toMatch(
      /VIVA \(0x0001F000\+1000\) lies in the boot-loader region below 0x00020000/,
    );
  });

  it('an EXT_BL reaching past 0x20000 widens the protected region', () => {
    const p = makeSyntheticPackage({ revision: 'A9', romSize: 8192, vivaSize: 1000 });
    const ext = makeSyntheticImage({
      type: GFH_TYPE.ARM_EXT_BL,
      loadAddress: 0x10003000,
      size: 0x1e000,
      seed: 4,
    });
    const text = p.cfgText.replace(
      '    - file: BOOTLOADER_A9.bin\n',
      '    - file: BOOTLOADER_A9.bin\n    - file: EXT_BOOTLOADER\n',
    );
    const files: Record<string, Uint8Array> = { ...p.files, EXT_BOOTLOADER: ext };
    const e = errorOf(() => loadFirmwarePackage(text, (n) => files[n], p.cfgName));
    expect(e.message).toMatch(
      /ROM \(0x00020000\+8192\) lies in the boot-loader region below 0x00021000/,
    );
  });
});

describe('image name matching', () => {
  const exists = (set: string[]) => (p: string) => set.includes(p);

  it('normalises backslashes and leading ./', () => {
    expect(normaliseImageName(' .\\sub\\ROM ')).toBe('sub/ROM');
  });

  it('exact first, then letter case; extensions are never guessed', () => {
    const listing = ['ROM', 'rom', 'VIVA.bin', 'Boot.BIN'];
    expect(resolveImageName('ROM', exists(listing), listing, 'a.cfg')).toMatchObject({
      file: 'ROM',
      match: 'exact',
    });
    expect(resolveImageName('boot.bin', exists(listing), listing, 'a.cfg')).toMatchObject({
      file: 'Boot.BIN',
      match: 'letter-case',
    });
    const missing = errorOf(() => resolveImageName('VIVA', exists(listing), listing, 'a.cfg'));
    expect(missing.message).toMatch(
      /VIVA: named by a.cfg but not found next to it; beside the cfg: VIVA.bin \(names are matched as written/,
    );
    const twins = errorOf(() => resolveImageName('Rom', exists(listing), listing, 'a.cfg'));
    expect(twins.message).toMatch(/ROM and rom differ from it only in letter case/);
  });

  it('refuses absolute names and names leaving the folder', () => {
    for (const [name, problem] of [
      ['C:\\build\\ROM', /absolute path/],
      ['/opt/ROM', /absolute path/],
      ['sub/../../ROM', /leaves the cfg folder/],
    ] as const) {
      const e = errorOf(() =>
        parseCfg(`general:\n  platform: MT6261\nmain_region:\n  rom:\n    - file: ${name}\n`),
      );
      expect(e.message).toMatch(problem);
    }
  });
});

describe('revision rules', () => {
  it('Quectel rule: the R<nn>A<nn> token of the version segment', () => {
    expect(quectelRevision(QUECTEL_BUILD)).toBe('MC60CAR01A03');
    expect(quectelRevision(QUECTEL_BUILD.toUpperCase())).toBe('MC60CAR01A03');
    expect(quectelRevision('X_MT6261_S00.M66FAR02A08BT_R1.bin')).toBe('M66FAR02A08BT');
    expect(quectelRevision(MAUI_BUILD)).toBeUndefined();
    expect(quectelRevision('X.MC60.bin')).toBeUndefined();
  });

  it('a MAUI build name never reads as just "MAUI"', () => {
    expect(revisionFromBuildName(MAUI_BUILD)).toBe('MAUI_11CW1418SP5_W15_19');
    expect(revisionFromBuildName('P_MT2503_S00.MAUI.bin')).toBe('MAUI');
    expect(revisionFromBuildName('QUECTEL_SYNTH_MT6261.A1.bin')).toBe('A1');
  });

  it('MTK_ROMINFO: build name and version field; Quectel builds keep the Quectel rule', () => {
    const rom = (buildName: string, version: string) =>
      makeSyntheticPackage({ revision: 'R', buildName, romInfoVersion: version, romSize: 8192 })
        .files['ROM']!;
    const maui = rom(MAUI_BUILD, 'MAUI.11CW1418SP5.W15.19');
    expect(readRomInfo(maui)).toEqual({
      version: 9,
      offset: SYNTHETIC_ROM_INFO_OFFSET,
      buildName: MAUI_BUILD.toUpperCase(),
      project: 'MAUI.11CW1418SP5.W15.19',
      platform: 'MT2502',
    });
    expect(readRomRevision(maui)).toMatchObject({
      revision: 'MAUI.11CW1418SP5.W15.19',
      rule: 'maui-rominfo',
    });
    expect(readRomRevision(rom(QUECTEL_BUILD, 'MAUI.11C.W12.50'))).toMatchObject({
      revision: 'MC60CAR01A03',
      rule: 'quectel',
    });
  });

  it('platform of a build name', () => {
    expect(platformOfBuildName(MAUI_BUILD)).toBe('MT2502');
    expect(platformOfBuildName('A_MT6261D_S00.X.bin')).toBe('MT6261D');
    expect(platformOfBuildName('SMT2502X.A.bin')).toBeUndefined();
  });
});

describe('DA layouts', () => {
  it('split DA parts give the same stages and table as the raw file', () => {
    const raw = parseDaFile(makeSyntheticDa());
    const split = parseSplitDa(makeSyntheticSplitDa(), 'Download_Agent/6261');
    expect(split.format).toBe('split');
    expect(split.da1).toEqual(raw.da1);
    expect(split.da2).toEqual(raw.da2);
    expect(split.flashTable).toEqual(raw.flashTable);
    expect(split.flashTable).toHaveLength(SYNTHETIC_DA_FLASH_IDS.length);
  });

  it('a missing, truncated or damaged part is INVALID_DA_FILE with what to do', () => {
    const parts = makeSyntheticSplitDa();
    const missing = errorOf(() => parseSplitDa({ ...parts, EXT_RAM: undefined }, 'DA'));
    expect(missing).toMatchObject({ code: 'INVALID_DA_FILE', stage: 'package' });
    expect(missing.message).toMatch(/DA: EXT_RAM is missing \(a split DA is INT_SYSRAM/);
    const cut = errorOf(() =>
      parseSplitDa({ ...parts, NOR_FLASH_TABLE: parts.NOR_FLASH_TABLE.subarray(0, 100) }, 'DA'),
    );
    expect(cut.message).toMatch(/100 bytes is not a whole number of 36-byte flash records/);
    const noEnd = errorOf(() =>
      parseSplitDa({ ...parts, NOR_FLASH_TABLE: parts.NOR_FLASH_TABLE.subarray(0, 72) }, 'DA'),
    );
    expect(noEnd.message).toMatch(
      /no FF FF 00 00 terminator after 2 records: the file is truncated/,
    );
    const notCode = errorOf(() =>
      parseSplitDa({ ...parts, INT_SYSRAM: new Uint8Array(1000) }, 'DA'),
    );
    expect(notCode.message).toMatch(/does not start with an ARM branch/);
  });

  it('a raw DA cut inside its flash table is refused, not sent', () => {
    const raw = makeSyntheticDa();
    const e = errorOf(() => parseDaFile(raw.subarray(0, raw.length - 40), 'mt6261_da.bin'));
    expect(e.message).toMatch(/mt6261_da.bin: the flash table has no FF FF 00 00 terminator/);
    // A setup error: fix the station's files, never quarantine the module.
    expect(failureAction(e.code)).toBe('fix-setup');
    expect(e.engineerHint).toMatch(/DA file/);
  });

  it('AllInOne: a damaged MT6261 entry is refused', () => {
    const aio = makeSyntheticDa({ format: 'allinone' }).slice();
    const da1At = 0x6c + 2 * 0xdc;
    aio[da1At + 3] = 0x00;
    expect(errorOf(() => parseDaFile(aio)).message).toMatch(/MT6261 entry\): the first DA stage/);
  });

  it('known digests: a same-name, same-size file with another digest is a damaged copy', () => {
    const good = makeSyntheticDa();
    const known: KnownDaFile[] = [
      { source: 'test', name: 'mt6261_da.bin', size: good.length, sha256: sha256Hex(good) },
    ];
    expect(recogniseDa(good, 'x/mt6261_da.bin', known)).toBe(known[0]);
    const bad = good.slice();
    bad[5000] = bad[5000]! ^ 0xff;
    expect(errorOf(() => recogniseDa(bad, 'x/mt6261_da.bin', known)).message).toMatch(
      /like test's mt6261_da.bin, but SHA-256 [0-9a-f]{64} is not its .*: a damaged copy/,
    );
    expect(recogniseDa(bad, 'other.bin', known)).toBeUndefined();
  });
});
