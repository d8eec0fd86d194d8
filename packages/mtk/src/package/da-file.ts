import { hex, readU16le, readU32le } from '../bytes/endian';
import { FLASH_RECORD_SIZE, isTerminator, splitFlashTable } from '../da/flash-table';
import { recogniseDa, type KnownDaFile } from './da-known';
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

/** The parts MediaTek's Linux uploaders ship in Download_Agent/6261/ (load addresses as theirs). */
export const SPLIT_DA = {
  INT_SYSRAM: { loadAddress: 0x70007000 },
  EXT_RAM: { loadAddress: 0x10020000 },
  parts: ['INT_SYSRAM', 'EXT_RAM', 'NOR_FLASH_TABLE'],
} as const;

export type SplitDaPart = (typeof SPLIT_DA.parts)[number];

export interface DownloadAgent {
  format: 'raw' | 'allinone' | 'split';
  /** The public file(s) this DA is byte for byte, when known (da-known.ts). */
  known?: KnownDaFile[];
  da1: { loadAddress: number; data: Uint8Array };
  da2: { loadAddress: number; data: Uint8Array };
  /** 36-byte NOR/SF records, terminator excluded. */
  flashTable: Uint8Array[];
}

const HW_CODE_MT6261 = 0x6261;

/** Recognises either DA file format by its content. */
export function parseDaFile(bytes: Uint8Array, name = 'DA file'): DownloadAgent {
  const known = recogniseDa(bytes, name);
  const head = new TextDecoder().decode(bytes.subarray(0, ALLINONE.magic.length));
  const da = head === ALLINONE.magic ? parseAllInOne(bytes, name) : parseRawDa(bytes, name);
  return known ? { ...da, known: [known] } : da;
}

/**
 * The split DA of MediaTek's Linux uploaders (RePhone, LinkIt ONE, the Android ext-modem
 * downloader): INT_SYSRAM runs from SYSRAM, EXT_RAM from PSRAM, NOR_FLASH_TABLE is the table.
 */
export function parseSplitDa(
  parts: Partial<Record<SplitDaPart, Uint8Array>>,
  name = 'DA folder',
): DownloadAgent {
  const part = (key: SplitDaPart): Uint8Array => {
    const data = parts[key];
    if (data === undefined || data.length === 0)
      throw packageError(
        'INVALID_DA_FILE',
        `${name}: ${key} is ${data === undefined ? 'missing' : 'empty'} (a split DA is INT_SYSRAM, EXT_RAM and NOR_FLASH_TABLE side by side)`,
      );
    return data;
  };
  const known = SPLIT_DA.parts
    .map((key) => recogniseDa(part(key), `${name}/${key}`))
    .filter((k): k is KnownDaFile => k !== undefined);
  const da1 = { loadAddress: SPLIT_DA.INT_SYSRAM.loadAddress, data: part('INT_SYSRAM') };
  checkDa1Entry(da1.data, `${name}/INT_SYSRAM`);
  const flashTable = checkedFlashTable(part('NOR_FLASH_TABLE'), `${name}/NOR_FLASH_TABLE`, true);
  return {
    format: 'split',
    ...(known.length > 0 ? { known } : {}),
    da1,
    da2: { loadAddress: SPLIT_DA.EXT_RAM.loadAddress, data: part('EXT_RAM') },
    flashTable,
  };
}

/** DA1 starts at its ARM reset vector: a branch (0xEA......, little-endian) in every known DA. */
function checkDa1Entry(da1: Uint8Array, name: string): void {
  if (da1.length < 64 || da1[3] !== 0xea)
    throw packageError(
      'INVALID_DA_FILE',
      `${name}: the first DA stage does not start with an ARM branch (reset vector), so this is not DA code or the file is damaged`,
    );
}

/**
 * Table records up to the FF FF 00 00 terminator. A table file must end with it (`exact`: a
 * separate NOR_FLASH_TABLE is whole records); a missing terminator means the file was cut short.
 */
function checkedFlashTable(table: Uint8Array, name: string, exact: boolean): Uint8Array[] {
  if (exact && table.length % FLASH_RECORD_SIZE !== 0)
    throw packageError(
      'INVALID_DA_FILE',
      `${name}: ${table.length} bytes is not a whole number of ${FLASH_RECORD_SIZE}-byte flash records: truncated or damaged`,
    );
  const records = splitFlashTable(table);
  const terminated = (records.length + 1) * FLASH_RECORD_SIZE <= table.length;
  const end = table.subarray(
    records.length * FLASH_RECORD_SIZE,
    (records.length + 1) * FLASH_RECORD_SIZE,
  );
  if (!terminated || !isTerminator(end))
    throw packageError(
      'INVALID_DA_FILE',
      `${name}: the flash table has no FF FF 00 00 terminator after ${records.length} records: the file is truncated`,
    );
  if (records.length === 0)
    throw packageError('INVALID_DA_FILE', `${name}: the flash table is empty`);
  return records;
}

export function parseRawDa(bytes: Uint8Array, name = 'DA file'): DownloadAgent {
  const tableStart = RAW_DA.da2.offset + RAW_DA.da2.length;
  if (bytes.length <= tableStart) {
    throw packageError(
      'INVALID_DA_FILE',
      `${name}: ${bytes.length} bytes is too short for a raw mt6261_da.bin (DA1+DA2 alone are ${tableStart} bytes)`,
    );
  }
  checkDa1Entry(bytes.subarray(0, RAW_DA.da1.length), name);
  if (splitFlashTable(bytes.subarray(tableStart)).length === 0)
    throw packageError(
      'INVALID_DA_FILE',
      `${name}: no NOR flash table after DA2 (offset ${hex(tableStart, 6)})`,
    );
  const flashTable = checkedFlashTable(bytes.subarray(tableStart), name, false);
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
    if (splitFlashTable(region(2).data).length === 0)
      throw packageError('INVALID_DA_FILE', `${name}: MT6261 flash table region is empty`);
    const da1 = region(0);
    checkDa1Entry(da1.data, `${name} (MT6261 entry)`);
    const flashTable = checkedFlashTable(region(2).data, `${name} (MT6261 entry)`, false);
    return { format: 'allinone', da1, da2: region(1), flashTable };
  }
  throw packageError(
    'INVALID_DA_FILE',
    `${name}: no MT6261 (hw code 0x6261) entry; entries: ${seen.join(', ')}`,
  );
}
