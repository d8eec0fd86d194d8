import { hex, readU16le, readU32le } from '../bytes/endian';
import { splitFlashTable } from '../da/flash-table';
import { packageError } from './package-error';

/** Raw `mt6261_da.bin` layout (shared-wire §2). */
export const RAW_DA = {
  da1: { offset: 0, length: 0x718, loadAddress: 0x70007000 },
  da2: { offset: 0x718, length: 0x1e5c8, loadAddress: 0x10020000 },
} as const;

export const ALLINONE = {
  magic: 'MTK_DOWNLOAD_AGENT',
  countOffset: 0x68,
  entriesOffset: 0x6c,
  entryStride: 0xdc,
  regionsOffset: 20,
  regionSize: 20,
  maxRegions: 10,
  entryMagic: 0xdada,
} as const;

export interface DownloadAgent {
  format: 'raw' | 'allinone';
  da1: { loadAddress: number; data: Uint8Array };
  da2: { loadAddress: number; data: Uint8Array };
  /** 36-byte NOR/SF records, terminator excluded. */
  flashTable: Uint8Array[];
}

const HW_CODE_MT6261 = 0x6261;

/** Recognises either DA file format by its content. */
export function parseDaFile(bytes: Uint8Array, name = 'DA file'): DownloadAgent {
  const head = new TextDecoder().decode(bytes.subarray(0, ALLINONE.magic.length));
  return head === ALLINONE.magic ? parseAllInOne(bytes, name) : parseRawDa(bytes, name);
}

export function parseRawDa(bytes: Uint8Array, name = 'DA file'): DownloadAgent {
  const tableStart = RAW_DA.da2.offset + RAW_DA.da2.length;
  if (bytes.length <= tableStart) {
    throw packageError(
      'INVALID_DA_FILE',
      `${name}: ${bytes.length} bytes is too short for a raw mt6261_da.bin (DA1+DA2 alone are ${tableStart} bytes)`,
    );
  }
  const flashTable = splitFlashTable(bytes.subarray(tableStart));
  if (flashTable.length === 0)
    throw packageError(
      'INVALID_DA_FILE',
      `${name}: no NOR flash table after DA2 (offset ${hex(tableStart, 6)})`,
    );
  return {
    format: 'raw',
    da1: {
      loadAddress: RAW_DA.da1.loadAddress,
      data: bytes.subarray(RAW_DA.da1.offset, RAW_DA.da1.offset + RAW_DA.da1.length),
    },
    da2: {
      loadAddress: RAW_DA.da2.loadAddress,
      data: bytes.subarray(RAW_DA.da2.offset, tableStart),
    },
    flashTable,
  };
}

/**
 * `MTK_AllInOne_DA.bin`: 0x68-byte header, entry count at 0x68, 0xDC-byte entries from 0x6C
 * (magic DADA, hw code, …, region index/count at +16/+18, then 20-byte regions {offset,
 * length, load address, start offset, signature length}). For MT6261 the entry's regions are
 * DA1, DA2 and the flash table.
 */
export function parseAllInOne(bytes: Uint8Array, name = 'DA file'): DownloadAgent {
  if (bytes.length < ALLINONE.entriesOffset)
    throw packageError('INVALID_DA_FILE', `${name}: truncated AllInOne header`);
  const count = readU32le(bytes, ALLINONE.countOffset);
  if (count === 0 || count > 512)
    throw packageError('INVALID_DA_FILE', `${name}: implausible AllInOne entry count ${count}`);
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = ALLINONE.entriesOffset + i * ALLINONE.entryStride;
    if (at + ALLINONE.entryStride > bytes.length)
      throw packageError('INVALID_DA_FILE', `${name}: AllInOne entry ${i} is truncated`);
    if (readU16le(bytes, at) !== ALLINONE.entryMagic)
      throw packageError('INVALID_DA_FILE', `${name}: AllInOne entry ${i} has no DA DA marker`);
    const hwCode = readU16le(bytes, at + 2);
    seen.push(hex(hwCode));
    if (hwCode !== HW_CODE_MT6261) continue;
    const index = readU16le(bytes, at + 16);
    const regionCount = readU16le(bytes, at + 18);
    if (regionCount < 3 || index + 3 > ALLINONE.maxRegions) {
      throw packageError(
        'INVALID_DA_FILE',
        `${name}: MT6261 entry has regions ${index}+${regionCount}, need DA1, DA2 and the flash table`,
      );
    }
    const region = (k: number): { loadAddress: number; data: Uint8Array } => {
      const r = at + ALLINONE.regionsOffset + (index + k) * ALLINONE.regionSize;
      const offset = readU32le(bytes, r);
      const length = readU32le(bytes, r + 4);
      if (offset + length > bytes.length || length === 0) {
        throw packageError(
          'INVALID_DA_FILE',
          `${name}: MT6261 region ${index + k} (${hex(offset, 8)}+${length}) lies outside the file`,
        );
      }
      return {
        loadAddress: readU32le(bytes, r + 8),
        data: bytes.subarray(offset, offset + length),
      };
    };
    const flashTable = splitFlashTable(region(2).data);
    if (flashTable.length === 0)
      throw packageError('INVALID_DA_FILE', `${name}: MT6261 flash table region is empty`);
    return { format: 'allinone', da1: region(0), da2: region(1), flashTable };
  }
  throw packageError(
    'INVALID_DA_FILE',
    `${name}: no MT6261 (hw code 0x6261) entry; entries: ${seen.join(', ')}`,
  );
}
