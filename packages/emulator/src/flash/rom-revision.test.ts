// The emulator's own revision reader (#11 §1): ROM-info records built here byte by byte, and the
// public RePhone ROM from its mirror (skipped with a message when the mirror is absent).
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { publicMirrors } from '@station/testkit';
import { ROM_FLASH_OFFSET } from '../constants';
import { FlashMemory } from './flash-memory';
import { inspectRom } from './rom-info';
import { findRomInfoRecord, revisionFromRomInfo } from './rom-revision';
import { buildSyntheticRom } from './synthetic-rom';

/** A synthetic ROM with a ROM-info record at 0x678 (where the RePhone ROM has its own). */
function romWithInfo(buildName: string, version: string): Uint8Array {
  const rom = buildSyntheticRom({ revision: 'IGNORED1', size: 0x2000 });
  const put = (text: string, at: number, size: number): void => {
    rom.fill(0, at, at + size);
    for (let i = 0; i < text.length; i++) rom[at + i] = text.charCodeAt(i);
  };
  put('MTK_ROMINFO_v09', 0x678, 16);
  put(buildName, 0x678 + 16, 128);
  put(version, 0x678 + 144, 64);
  return rom;
}

describe('emulator ROM revision', () => {
  it('a plain MAUI build reports its version record', () => {
    const rom = romWithInfo(
      'SEEED02A_DEMO_PCB01_GPRS_MT2502_S00.MAUI_11CW1418SP5_W15_19.BIN',
      'MAUI.11CW1418SP5.W15.19',
    );
    expect(findRomInfoRecord(rom)).toEqual({
      buildName: 'SEEED02A_DEMO_PCB01_GPRS_MT2502_S00.MAUI_11CW1418SP5_W15_19.BIN',
      version: 'MAUI.11CW1418SP5.W15.19',
    });
    expect(revisionFromRomInfo(rom)).toBe('MAUI.11CW1418SP5.W15.19');
  });

  it('a Quectel build reports the Quectel revision of its build name', () => {
    const rom = romWithInfo(
      'QUECTEL03D_M2M_11C_PCB01_GPRS_MT6261_S00.MC60CAR01A03_BETA0628.BIN',
      'MAUI.11C.W12.50',
    );
    expect(revisionFromRomInfo(rom)).toBe('MC60CAR01A03');
  });

  it('flash without a record falls back to the build name; a MAUI name is never just "MAUI"', () => {
    const flash = new FlashMemory();
    flash.program(ROM_FLASH_OFFSET, buildSyntheticRom({ revision: 'MC60CAR01A13', size: 0x2000 }));
    expect(inspectRom(flash)).toEqual({ revision: 'MC60CAR01A13', bootable: true });
    expect(revisionFromRomInfo(new Uint8Array(0x2000))).toBeNull();

    const withInfo = new FlashMemory();
    withInfo.program(
      ROM_FLASH_OFFSET,
      romWithInfo('P_MT2503_S00.MAUI_11C_W12_50.BIN', 'MAUI.11C.W12.50'),
    );
    expect(inspectRom(withInfo).revision).toBe('MAUI.11C.W12.50');
  });
});

const REPHONE = publicMirrors.rephone;
const ROM_PATH = 'FirmwareUpdate/firmware/LinkIt_Device/RePhone/W15.19.p2-uart/ROM';
const mirrored =
  spawnSync('git', ['--git-dir', REPHONE, 'cat-file', '-e', `HEAD:${ROM_PATH}`]).status === 0;
if (!mirrored) console.warn(`skipped: no RePhone mirror at ${REPHONE}`);

describe.skipIf(!mirrored)('the public RePhone ROM in emulator flash', () => {
  it('reports MAUI.11CW1418SP5.W15.19 and boots', () => {
    const rom = new Uint8Array(
      execFileSync('git', ['--git-dir', REPHONE, 'show', `HEAD:${ROM_PATH}`], {
        maxBuffer: 16 * 1024 * 1024,
      }),
    );
    const flash = new FlashMemory();
    flash.program(ROM_FLASH_OFFSET, rom);
    expect(inspectRom(flash)).toEqual({ revision: 'MAUI.11CW1418SP5.W15.19', bootable: true });
  });
});
