import { writeU16le, writeU32le } from '../bytes/endian';
import { FLASH_RECORD_SIZE, type JedecId } from '../da/flash-table';
import { renderCfg } from './cfg';
import { ALLINONE, RAW_DA } from './da-file';
import { GFH_FILE_INFO_SIZE, GFH_TYPE, writeGfhFileInfo } from './gfh';
import { writeRomInfo } from './rom-info';

// Synthetic, well-formed stand-ins for vendor files: never MediaTek's DA or Quectel firmware.

export const GD25LQ32: JedecId = { manufacturer: 0xc8, memoryType: 0x60, capacity: 0x16 };
/** The six SF ids of the MC60 cfg (reference §4.1). */
export const MC60_FLASH_IDS: JedecId[] = [
  { manufacturer: 0xc2, memoryType: 0x25, capacity: 0x36 },
  { manufacturer: 0xef, memoryType: 0x40, capacity: 0x16 },
  { manufacturer: 0xc2, memoryType: 0x20, capacity: 0x16 },
  { manufacturer: 0xef, memoryType: 0x70, capacity: 0x16 },
  GD25LQ32,
  { manufacturer: 0xc2, memoryType: 0x25, capacity: 0x38 },
];

const ROM_LOAD_ADDRESS = 0x10020000;
const SERIAL_FLASH = 0x07;

/** Deterministic filler so images have non-trivial checksums (xorshift32). */
function fill(target: Uint8Array, seed: number, from = 0): void {
  let x = seed >>> 0 || 1;
  for (let i = from; i < target.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    target[i] = x & 0xff;
  }
}

export interface SyntheticImageOptions {
  type: number;
  loadAddress: number;
  size: number;
  seed: number;
  /** Extra GFH block payload written right after FILE_INFO. */
  note?: string;
  /**
   * Boot loaders: a GFH_BL_INFO block (type 1) with this attribute word after FILE_INFO, and max
   * size FFFFFFFF, as MediaTek's own boot loaders carry (RePhone INT_BOOTLOADER: attribute 1).
   */
  blInfo?: number;
}

export function makeSyntheticImage(options: SyntheticImageOptions): Uint8Array {
  const image = new Uint8Array(options.size);
  let contentOffset = GFH_FILE_INFO_SIZE;
  if (options.blInfo !== undefined) {
    const at = contentOffset;
    image.set([0x4d, 0x4d, 0x4d, 0x01], at);
    writeU16le(image, at + 4, 12);
    writeU16le(image, at + 6, 0x0001);
    writeU32le(image, at + 8, options.blInfo);
    contentOffset = at + 12;
  }
  if (options.note !== undefined) {
    const text = new TextEncoder().encode(options.note + '\0');
    const blockSize = 8 + text.length;
    const at = contentOffset;
    image.set([0x4d, 0x4d, 0x4d, 0x01], at);
    writeU16le(image, at + 4, blockSize);
    writeU16le(image, at + 6, 0x0002); // a MAUI-info style block
    image.set(text, at + 8);
    contentOffset = at + blockSize;
  }
  contentOffset = (contentOffset + 0xf) & ~0xf;
  fill(image, options.seed, contentOffset);
  writeGfhFileInfo(image, {
    fileVersion: 1,
    fileType: options.type,
    flashDevice: SERIAL_FLASH,
    signatureType: 1,
    loadAddress: options.loadAddress,
    fileLength: options.size,
    maxSize: options.blInfo === undefined ? 0 : 0xffffffff,
    contentOffset,
    signatureLength: 0,
    jumpOffset: contentOffset,
    attributes: 1,
  });
  return image;
}

export interface SyntheticPackageOptions {
  revision: string;
  /** The ROM's build name; default `QUECTEL_SYNTH_MT6261.<revision>.bin`. */
  buildName?: string;
  /** Also write an MTK_ROMINFO_v09 block (build name upper-cased, this as its version field). */
  romInfoVersion?: string;
  romSize?: number;
  vivaSize?: number;
  platform?: string;
  flashIds?: JedecId[];
  cfgName?: string;
}

export interface SyntheticPackage {
  cfgName: string;
  cfgText: string;
  files: Record<string, Uint8Array>;
}

/** A QFlash-style package: cfg + boot loader + ROM (revision in its build name) + VIVA. */
export function makeSyntheticPackage(options: SyntheticPackageOptions): SyntheticPackage {
  if (!/^[A-Za-z0-9]+$/.test(options.revision))
    throw new RangeError(
      `revision "${options.revision}" must be letters and digits, e.g. MC60CAR01A13`,
    );
  const romSize = options.romSize ?? 96 * 1024;
  const vivaSize = options.vivaSize ?? 24 * 1024;
  if (romSize < 4096) throw new RangeError(`ROM size ${romSize} must be at least 4096 bytes`);
  if (vivaSize < GFH_FILE_INFO_SIZE) throw new RangeError(`VIVA size ${vivaSize} is too small`);
  const vivaAddress = (ROM_LOAD_ADDRESS + romSize + 0xf) & ~0xf;
  const buildName = options.buildName ?? `QUECTEL_SYNTH_MT6261.${options.revision}.bin`;
  const seed = [...options.revision].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const files: Record<string, Uint8Array> = {
    [`BOOTLOADER_${options.revision}.bin`]: makeSyntheticImage({
      type: GFH_TYPE.ARM_BL,
      loadAddress: 0x70006000,
      size: 8136,
      seed: seed ^ 1,
      blInfo: 1,
    }),
    ROM: withRomInfo(
      makeSyntheticImage({
        type: GFH_TYPE.PRIMARY_MAUI,
        loadAddress: ROM_LOAD_ADDRESS,
        size: romSize,
        seed: seed ^ 2,
        note: buildName,
      }),
      buildName,
      options.romInfoVersion,
    ),
    VIVA: makeSyntheticImage({
      type: GFH_TYPE.VIVA,
      loadAddress: vivaAddress,
      size: vivaSize,
      seed: seed ^ 3,
    }),
  };
  const cfgName = options.cfgName ?? `QUECTEL_SYNTH_${options.revision}.cfg`;
  const cfgText = renderCfg({
    platform: options.platform ?? 'MT6261',
    bootFiles: [`BOOTLOADER_${options.revision}.bin`],
    mainFiles: ['ROM', 'VIVA'],
    flashIds: options.flashIds ?? MC60_FLASH_IDS,
  });
  return { cfgName, cfgText, files };
}

/** Where synthetic ROMs carry their MTK_ROMINFO block (real ones: a few hundred bytes in). */
export const SYNTHETIC_ROM_INFO_OFFSET = 0x678;

function withRomInfo(rom: Uint8Array, buildName: string, version: string | undefined): Uint8Array {
  if (version === undefined) return rom;
  writeRomInfo(rom, SYNTHETIC_ROM_INFO_OFFSET, {
    version: 9,
    buildName: buildName.toUpperCase(),
    project: version,
  });
  return rom;
}

/** One 36-byte NOR/SF table record (shared-wire §1). */
export function makeFlashRecord(id: JedecId, deviceEnum: number): Uint8Array {
  const record = new Uint8Array(FLASH_RECORD_SIZE);
  writeU16le(record, 0x00, deviceEnum);
  writeU32le(record, 0x04, 0x70008000 + deviceEnum * 0x40);
  writeU32le(record, 0x08, 0x70008010 + deviceEnum * 0x40);
  writeU32le(record, 0x0c, 0x70008020 + deviceEnum * 0x40);
  writeU16le(record, 0x10, 1);
  writeU16le(record, 0x12, id.manufacturer);
  writeU16le(record, 0x14, id.memoryType);
  writeU16le(record, 0x16, id.capacity);
  writeU32le(record, 0x1c, 0x70009000 + deviceEnum * 0x40);
  writeU32le(record, 0x20, 0x70009010 + deviceEnum * 0x40);
  return record;
}

/** Flash ids of the synthetic DA table; GD25LQ32 sits in the middle so CONT is exercised. */
export const SYNTHETIC_DA_FLASH_IDS: JedecId[] = [
  { manufacturer: 0xef, memoryType: 0x40, capacity: 0x16 },
  { manufacturer: 0xc2, memoryType: 0x20, capacity: 0x16 },
  { manufacturer: 0xef, memoryType: 0x70, capacity: 0x16 },
  GD25LQ32,
  { manufacturer: 0xc2, memoryType: 0x25, capacity: 0x36 },
  { manufacturer: 0xc2, memoryType: 0x25, capacity: 0x38 },
  { manufacturer: 0xc8, memoryType: 0x60, capacity: 0x18 },
];

export interface SyntheticDaOptions {
  format?: 'raw' | 'allinone' | 'split';
  flashIds?: JedecId[];
}

function syntheticDaParts(flashIds: JedecId[]): {
  da1: Uint8Array;
  da2: Uint8Array;
  table: Uint8Array;
} {
  const da1 = new Uint8Array(RAW_DA.da1.length);
  const da2 = new Uint8Array(RAW_DA.da2.length);
  const label = new TextEncoder().encode('FLASHSTATION SYNTHETIC DA - NOT MEDIATEK CODE\0');
  // DA1 opens with an ARM branch over the label, as real DA1s open with their reset vector.
  writeU32le(da1, 0, 0xea000000 | ((label.length + 4 - 8) >> 2));
  da1.set(label, 4);
  fill(da1, 0x6261, label.length + 4);
  da2.set(label);
  fill(da2, 0x2503, label.length);
  const records = flashIds.map((id, i) => makeFlashRecord(id, i + 1));
  const table = new Uint8Array((records.length + 1) * FLASH_RECORD_SIZE);
  records.forEach((r, i) => table.set(r, i * FLASH_RECORD_SIZE));
  table.set([0xff, 0xff, 0x00, 0x00], records.length * FLASH_RECORD_SIZE);
  return { da1, da2, table };
}

/** A synthetic DA split as MediaTek's Linux uploaders ship it (INT_SYSRAM, EXT_RAM, table). */
export function makeSyntheticSplitDa(
  options: Omit<SyntheticDaOptions, 'format'> = {},
): Record<'INT_SYSRAM' | 'EXT_RAM' | 'NOR_FLASH_TABLE', Uint8Array> {
  const { da1, da2, table } = syntheticDaParts(options.flashIds ?? SYNTHETIC_DA_FLASH_IDS);
  return { INT_SYSRAM: da1, EXT_RAM: da2, NOR_FLASH_TABLE: table };
}

/** A synthetic DA in the raw mt6261_da.bin layout or as an AllInOne container. */
export function makeSyntheticDa(options: SyntheticDaOptions = {}): Uint8Array {
  if (options.format === 'split')
    throw new RangeError('a split DA is three files: use makeSyntheticSplitDa');
  const { da1, da2, table } = syntheticDaParts(options.flashIds ?? SYNTHETIC_DA_FLASH_IDS);
  if ((options.format ?? 'raw') === 'raw') {
    const out = new Uint8Array(da1.length + da2.length + table.length);
    out.set(da1, 0);
    out.set(da2, da1.length);
    out.set(table, da1.length + da2.length);
    return out;
  }
  // Two entries: a decoy for another chip first, then MT6261 with regions DA1, DA2, table.
  const entries = 2;
  const dataStart = ALLINONE.entriesOffset + entries * ALLINONE.entryStride;
  const out = new Uint8Array(dataStart + da1.length + da2.length + table.length);
  out.set(new TextEncoder().encode(ALLINONE.magic), 0);
  out.set(new TextEncoder().encode('FLASHSTATION_SYNTHETIC'), 0x20);
  writeU32le(out, 0x60, 4);
  writeU32le(out, 0x64, 0x22668899);
  writeU32le(out, ALLINONE.countOffset, entries);
  const entry = (i: number, hwCode: number, regions: Array<[number, number, number]>): void => {
    const at = ALLINONE.entriesOffset + i * ALLINONE.entryStride;
    writeU16le(out, at, ALLINONE.entryMagic);
    writeU16le(out, at + 2, hwCode);
    writeU16le(out, at + 6, 0xcb01);
    writeU16le(out, at + 12, 0x1000);
    writeU16le(out, at + 16, 0);
    writeU16le(out, at + 18, regions.length);
    regions.forEach(([offset, length, load], k) => {
      const r = at + ALLINONE.regionsOffset + k * ALLINONE.regionSize;
      writeU32le(out, r, offset);
      writeU32le(out, r + 4, length);
      writeU32le(out, r + 8, load);
    });
  };
  const da1At = dataStart;
  const da2At = da1At + da1.length;
  const tableAt = da2At + da2.length;
  out.set(da1, da1At);
  out.set(da2, da2At);
  out.set(table, tableAt);
  entry(0, 0x6260, [[da1At, da1.length, RAW_DA.da1.loadAddress]]);
  entry(1, 0x6261, [
    [da1At, da1.length, RAW_DA.da1.loadAddress],
    [da2At, da2.length, RAW_DA.da2.loadAddress],
    [tableAt, table.length, 0],
  ]);
  return out;
}
