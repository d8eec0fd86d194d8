// Real, public vendor files read from fetched mirrors (never committed): the RePhone (MT2502)
// package and split DA in loboris/RePhone_on_Linux, pymtkflasher's mt6261_da.bin. Each group is
// skipped with a message when its mirror is absent (fetch github:loboris/RePhone_on_Linux,
// github:waybyte/tool-pymtkflasher).
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  describePackage,
  formatJedec,
  GFH_TYPE,
  isFlashError,
  KNOWN_DA_FILES,
  loadFirmwarePackage,
  parseDaFile,
  parseSplitDa,
} from '@station/mtk';
import { publicMirrors } from '@station/testkit';

const REPHONE = publicMirrors.rephone;
const PYMTK = publicMirrors.pymtkflasher;
const PACKAGE = 'FirmwareUpdate/firmware/LinkIt_Device/RePhone/W15.19.p2-uart';
const FLASHTOOL = 'FirmwareUpdate/FlashTool_v5.1516.00/RePhone';
const LINUX_UPLOADER = 'FirmwareUpdate/Firmware_update_Linux/RePhone';
const SPLIT_DA = 'FirmwareUpdate/firmware/Download_Agent/6261';

const has = (gitDir: string, path: string): boolean =>
  spawnSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `HEAD:${path}`]).status === 0;
const blob = (gitDir: string, path: string): Uint8Array =>
  new Uint8Array(
    execFileSync('git', ['--git-dir', gitDir, 'show', `HEAD:${path}`], {
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
const listing = (gitDir: string, folder: string): string[] =>
  execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '--name-only', 'HEAD', `${folder}/`], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean)
    .map((path) => path.slice(folder.length + 1));

function loadFromMirror(folder: string, cfgName: string) {
  const names = listing(REPHONE, folder);
  return loadFirmwarePackage(
    new TextDecoder().decode(blob(REPHONE, `${folder}/${cfgName}`)),
    (name) => (names.includes(name) ? blob(REPHONE, `${folder}/${name}`) : undefined),
    cfgName,
    { listing: names },
  );
}

const rephone = has(REPHONE, `${PACKAGE}/SEEED02A_DEMO_BB.cfg`);
if (!rephone) console.warn(`skipped: no RePhone mirror at ${REPHONE}`);

describe.skipIf(!rephone)('RePhone MT2502 vendor package (loboris/RePhone_on_Linux)', () => {
  it('SEEED02A_DEMO_BB.cfg: chip, boot loaders, images and the MAUI revision', () => {
    const pkg = loadFromMirror(PACKAGE, 'SEEED02A_DEMO_BB.cfg');
    expect(pkg.cfg.platform).toBe('MT2502');
    expect(pkg.platformSource).toBe('cfg');
    expect(pkg.revision).toBe('MAUI.11CW1418SP5.W15.19');
    expect(pkg.revisionRule).toBe('maui-rominfo');
    expect(pkg.buildName).toBe('SEEED02A_DEMO_PCB01_GPRS_MT2502_S00.MAUI_11CW1418SP5_W15_19.BIN');
    expect(pkg.bootLoaders.map((b) => [b.name, b.gfh.fileType, b.data.length])).toEqual([
      ['SEEED02A_DEMO_BOOTLOADER_V005_MT2502_MAUI_11CW1418SP5_W15_19.bin', GFH_TYPE.ARM_BL, 7272],
      ['EXT_BOOTLOADER', GFH_TYPE.ARM_EXT_BL, 106272],
    ]);
    expect(pkg.images.map((i) => [i.name, i.gfh.fileType, i.flashOffset, i.data.length])).toEqual([
      ['ROM', GFH_TYPE.PRIMARY_MAUI, 0x20000, 1794256],
      ['VIVA', GFH_TYPE.VIVA, 0x1d64d0, 3151596],
    ]);
    expect(pkg.cfg.flashIds.map(formatJedec)).toEqual(['C2 25 38', 'EF 60 18']);
  });

  it("Flash Tool's copy: blank platform and CRLF; the chip comes from the ROM", () => {
    const pkg = loadFromMirror(FLASHTOOL, 'config_mtk.cfg');
    expect(describePackage(pkg)).toMatchObject({
      platform: 'MT2502',
      platformSource: 'rom',
      revision: 'MAUI.11CW1418SP5.W15.19',
      images: [{ name: 'FILE_01_mtk' }, { name: 'FILE_02_mtk' }],
    });
  });

  it("the Linux uploader's cfg names FILE_01_mtk beside ROM and VIVA: refused as MediaTek's tool would", () => {
    try {
      loadFromMirror(LINUX_UPLOADER, 'config_rephone.cfg');
      expect.unreachable('a cfg naming absent files must be refused');
    } catch (error) {
      if (!isFlashError(error)) throw error;
      expect(error.code).toBe('INVALID_IMAGE');
      expect(error.message).toMatch(
        /^FILE_01_mtk: named by config_rephone.cfg but not found next to it; beside the cfg: .*ROM, .*VIVA/,
      );
    }
  });

  it('the split DA (Download_Agent/6261) parses and every part is a known file', () => {
    const parts = Object.fromEntries(
      (['INT_SYSRAM', 'EXT_RAM', 'NOR_FLASH_TABLE'] as const).map((p) => [
        p,
        blob(REPHONE, `${SPLIT_DA}/${p}`),
      ]),
    );
    const da = parseSplitDa(parts, SPLIT_DA);
    expect(da.format).toBe('split');
    expect(da.known?.map((k) => k.name)).toEqual(['INT_SYSRAM', 'EXT_RAM', 'NOR_FLASH_TABLE']);
    expect(da.da1).toMatchObject({ loadAddress: 0x70007000 });
    expect(da.da1.data.length).toBe(1344);
    expect(da.da2).toMatchObject({ loadAddress: 0x10020000 });
    expect(da.da2.data.length).toBe(123660);
    expect(da.flashTable).toHaveLength(9324 / 36 - 1);
  });
});

const pymtk = has(PYMTK, 'mt6261_da.bin');
if (!pymtk) console.warn(`skipped: no pymtkflasher mirror at ${PYMTK}`);

describe.skipIf(!pymtk)("pymtkflasher's mt6261_da.bin", () => {
  it('parses as the raw layout and is the known file', () => {
    const bytes = blob(PYMTK, 'mt6261_da.bin');
    const da = parseDaFile(bytes, 'mt6261_da.bin');
    expect(da.format).toBe('raw');
    expect(da.known).toEqual([KNOWN_DA_FILES.find((k) => k.name === 'mt6261_da.bin')]);
    expect(da.flashTable).toHaveLength(263);
    const damaged = bytes.slice();
    damaged[0x8000] = damaged[0x8000]! ^ 0x01;
    expect(() => parseDaFile(damaged, 'mt6261_da.bin')).toThrow(/a damaged copy, fetch it again/);
  });
});
