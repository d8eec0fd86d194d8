// The demonstration (#11 §3): MediaTek's full flow flashes a real public vendor package,
// RePhone's MT2502 W15.19 firmware with its two boot loaders, through the real split DA from the
// same repository, into the emulator with a 16 MiB part; the module then reports that revision.
// Read from the fetched mirror at test time (never committed); skipped with a message without it.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  GFH_TYPE,
  loadFirmwarePackage,
  parseSplitDa,
  runFlashJob,
  TraceRecorder,
} from '@station/mtk';
import { publicMirrors } from '@station/testkit';
import { power } from './flash-helpers';
import { benchPerTest } from './bench-per-test';

const REPHONE = publicMirrors.rephone;
const PACKAGE = 'FirmwareUpdate/firmware/LinkIt_Device/RePhone/W15.19.p2-uart';
const SPLIT_DA = 'FirmwareUpdate/firmware/Download_Agent/6261';

const has = (path: string): boolean =>
  spawnSync('git', ['--git-dir', REPHONE, 'cat-file', '-e', `HEAD:${path}`]).status === 0;
const blob = (path: string): Uint8Array =>
  new Uint8Array(
    execFileSync('git', ['--git-dir', REPHONE, 'show', `HEAD:${path}`], {
      maxBuffer: 64 * 1024 * 1024,
    }),
  );

const present = has(`${PACKAGE}/SEEED02A_DEMO_BB.cfg`) && has(`${SPLIT_DA}/EXT_RAM`);
if (!present)
  console.warn(`skipped: no RePhone mirror at ${REPHONE} (fetch github:loboris/RePhone_on_Linux)`);

const bench = benchPerTest();

function rephonePackage() {
  const names = execFileSync(
    'git',
    ['--git-dir', REPHONE, 'ls-tree', '--name-only', 'HEAD', `${PACKAGE}/`],
    {
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter(Boolean)
    .map((p) => p.slice(PACKAGE.length + 1));
  return loadFirmwarePackage(
    new TextDecoder().decode(blob(`${PACKAGE}/SEEED02A_DEMO_BB.cfg`)),
    (name) => (names.includes(name) ? blob(`${PACKAGE}/${name}`) : undefined),
    'SEEED02A_DEMO_BB.cfg',
    { listing: names },
  );
}

describe.skipIf(!present)(
  'RePhone W15.19 package through the full flow (loboris/RePhone_on_Linux)',
  () => {
    it('format-all with both boot loaders: the module boots the package revision', async () => {
      const vendor = rephonePackage();
      expect(vendor.bootLoaders.map((b) => b.gfh.fileType)).toEqual([
        GFH_TYPE.ARM_BL,
        GFH_TYPE.ARM_EXT_BL,
      ]);
      // One stand-in: the emulator models an MT2503 (the MT6261 family member the MC60 carries;
      // the package names MT2502, same family and DA). The flash part is one the package lists,
      // Winbond's 16 MiB EF 60 18 (with the emulator's quick times: this test is about bytes, the
      // datasheet times are measured in docs/benchmarks.md). Images, boot loaders, DA and part
      // are the vendor's own.
      const pkg = { ...vendor, cfg: { ...vendor.cfg, platform: 'MT6261' } };
      expect(vendor.cfg.flashIds).toContainEqual({
        manufacturer: 0xef,
        memoryType: 0x60,
        capacity: 0x18,
      });
      const da = parseSplitDa(
        Object.fromEntries(
          (['INT_SYSRAM', 'EXT_RAM', 'NOR_FLASH_TABLE'] as const).map((p) => [
            p,
            blob(`${SPLIT_DA}/${p}`),
          ]),
        ),
        SPLIT_DA,
      );
      const { jig, port } = await bench.open({
        slots: [
          {
            slot: 1,
            revision: 'MC60CAR01A03',
            flashPart: {
              name: 'W25Q128FW (RePhone list)',
              jedec: 'EF6018',
              sizeMiB: 16,
              sectorEraseMs: 1,
              blockEraseMs: 16,
              pageProgramMs: 0.03125,
            },
          },
        ],
      });
      const module = jig.slots[0]!.module;
      const trace = new TraceRecorder();
      const result = await runFlashJob(port, {
        package: pkg,
        da,
        baud: 921600,
        power: power(jig),
        mode: 'format-all',
        preflight: true,
        postflight: true,
        trace,
      });
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({
        ok: true,
        revisionBefore: 'MC60CAR01A03',
        revisionAfter: 'MAUI.11CW1418SP5.W15.19',
      });
      expect(result.flash?.plan).toEqual({
        mode: 'format-all',
        bootLoaders: [
          'SEEED02A_DEMO_BOOTLOADER_V005_MT2502_MAUI_11CW1418SP5_W15_19.bin',
          'EXT_BOOTLOADER',
        ],
        formatAll: true,
      });
      // ARM_BL at 0, ARM_EXT_BL at its load address in flash (0x10003000 → 0x3000), images in place.
      const [bl, ext] = pkg.bootLoaders;
      expect(module.readFlash(0, bl!.data.length)).toEqual(bl!.data);
      expect(module.readFlash(0x3000, ext!.data.length)).toEqual(ext!.data);
      for (const image of pkg.images)
        expect(module.readFlash(image.flashOffset, image.data.length)).toEqual(image.data);
      expect(trace.snapshot().entries.map((e) => e.cmd)).toEqual(
        expect.arrayContaining([
          'FORMAT',
          'FORMAT_CBR',
          'FORMAT_HB',
          'DOWNLOAD_BL',
          'GET_CBR',
          'MEM',
        ]),
      );
    }, 240_000);
  },
);
