// The module's own idea of its firmware revision, read from what is in its flash, as the MAUI
// firmware reports it over AT. Written for the device on its own (design §2): the host's parser
// in packages/mtk/src/package must not be shared, so a host bug cannot hide an emulator bug.
//
// A MAUI ROM holds an "MTK_ROMINFO_vNN" record: 16 bytes of tag, 128 bytes of build name
// ("<project>_..._MT2502_S00.<version>.BIN"), 64 bytes of version ("MAUI.11CW1418SP5.W15.19").
// Quectel firmware reports its own revision (MC60CAR01A12), the first word of the build's
// version part; any other MAUI build reports the version record.

const TAG = 'MTK_ROMINFO_v';
const TAG_FIELD = 16;
const NAME_FIELD = 128;
const VERSION_FIELD = 64;
/** How far into the ROM the emulator looks (real ROMs keep the record in the first KiBs). */
export const ROM_INFO_WINDOW = 0x10000;

export interface RomInfoRecord {
  buildName: string;
  version: string;
}

/** The ROM-info record in a ROM's first bytes, or null when there is none. */
export function findRomInfoRecord(rom: Uint8Array): RomInfoRecord | null {
  const text = Buffer.from(rom.buffer, rom.byteOffset, Math.min(rom.length, ROM_INFO_WINDOW));
  const at = text.indexOf(TAG, 0, 'latin1');
  if (at < 0 || at + TAG_FIELD + NAME_FIELD + VERSION_FIELD > text.length) return null;
  const field = (start: number, size: number): string => {
    const raw = text.subarray(start, start + size).toString('latin1');
    const end = raw.search(/[^\x20-\x7e]/);
    return (end < 0 ? raw : raw.slice(0, end)).trim();
  };
  return {
    buildName: field(at + TAG_FIELD, NAME_FIELD),
    version: field(at + TAG_FIELD + NAME_FIELD, VERSION_FIELD),
  };
}

/** What the firmware of this ROM-info record reports as its revision (null: nothing usable). */
export function revisionOfRomInfo(record: RomInfoRecord): string | null {
  const versionPart = /\.([^.]+)\.bin$/i.exec(record.buildName)?.[1] ?? '';
  const firstWord = versionPart.split('_')[0] ?? '';
  if (/^[a-z][a-z0-9]*r[0-9]{2}a[0-9]{2}[a-z0-9]*$/i.test(firstWord))
    return firstWord.toUpperCase();
  return record.version === '' ? null : record.version;
}

/** The revision from a ROM-info record in `rom`, or null so the caller can try the build name. */
export function revisionFromRomInfo(rom: Uint8Array): string | null {
  const record = findRomInfoRecord(rom);
  return record ? revisionOfRomInfo(record) : null;
}
