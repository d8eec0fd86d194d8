import { hex } from '../bytes/endian';
import type { Link } from '../link';
import { read16, read32 } from './commands';

export type ChipName = 'MT6261' | 'MT2503' | 'MT2503DV' | 'MT2502' | 'MT6261-family';

export interface ChipInfo {
  hwCode: number;
  hwVersion: number;
  swVersion: number;
  subCode: number;
  /** Upper half of the e-fuse word at 0xA01C0108, which tells family members apart. */
  efuse: number;
  name: ChipName;
}

export const HW_CODE_MT6261 = 0x6261;
const EFUSE_ADDRESS = 0xa01c0108;

/** e-fuse upper half → family member (mtkclient; RePhone log for MT2502). */
export function chipNameFromEfuse(efuseHigh: number): ChipName {
  switch (efuseHigh) {
    case 0x35c0:
      return 'MT6261';
    case 0x3600:
      return 'MT2503';
    case 0x7640:
      return 'MT2503DV';
    case 0x2640:
      return 'MT2502';
    default:
      return 'MT6261-family';
  }
}

/** Reads the chip id registers and refuses anything that is not an MT6261-family part. */
export async function identifyChip(link: Link): Promise<ChipInfo> {
  let ids: number[];
  let efuseWord: number;
  try {
    ids = [
      ...(await read16(link, 0x80000000)),
      ...(await read16(link, 0x80000004)),
      ...(await read16(link, 0x80000008)),
      ...(await read16(link, 0x8000000c)),
    ];
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'BROM_NO_RESPONSE') {
      throw link.fail(
        'CHIP_ID_READ_FAIL',
        `reading the chip id registers failed: ${error.message}`,
      );
    }
    throw error;
  }
  const [hwVersion, swVersion, hwCode, subCode] = ids as [number, number, number, number];
  if (hwCode !== HW_CODE_MT6261) {
    throw link.fail(
      'CHIP_UNSUPPORTED',
      `hw code ${hex(hwCode)} is not an MT6261-family chip (expected 0x6261)`,
    );
  }
  try {
    [efuseWord] = (await read32(link, EFUSE_ADDRESS)) as [number];
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'BROM_NO_RESPONSE') {
      throw link.fail('CHIP_ID_READ_FAIL', `reading the e-fuse word failed: ${error.message}`);
    }
    throw error;
  }
  const efuse = efuseWord >>> 16;
  link.note('CHIP', undefined, { hwCode, hwVersion, efuse, name: chipNameFromEfuse(efuse) });
  return { hwCode, hwVersion, swVersion, subCode, efuse, name: chipNameFromEfuse(efuse) };
}

/** Whether a detected chip may run firmware built for `platform` (cfg general.platform). */
export function chipMatchesPlatform(chip: ChipInfo, platform: string): boolean {
  const p = platform.toUpperCase();
  // MT2502/MT2503 builds carry their own names; MT6261 packages (MC60's cfg says MT6261) run on
  // every member of the family since they share one boot loader (WizIO issue 29).
  if (p === 'MT6261') return true;
  if (p === 'MT2503') return chip.name === 'MT2503' || chip.name === 'MT2503DV';
  return chip.name === p;
}
