// The MTK_ROMINFO block a MAUI ROM carries near its start (docs/protocol.md "Package: revision").
// Layout as MediaTek's own ext-modem downloader declares it (rom_info_internal.h): a 16-byte
// identifier "MTK_ROMINFO_vNN", then a 128-byte field holding the build name (MediaTek calls it
// the platform id, e.g. "SEEED02A_DEMO_PCB01_GPRS_MT2502_S00.MAUI_11CW1418SP5_W15_19.BIN"), then
// a 64-byte project field holding the build's version (e.g. "MAUI.11CW1418SP5.W15.19").

export const ROM_INFO_MAGIC = 'MTK_ROMINFO_v';
/** MediaTek's tools look for the block within the first MiB of the ROM. */
export const ROM_INFO_SEARCH_RANGE = 0x100000;
const IDENTIFIER_SIZE = 16;
const BUILD_FIELD_SIZE = 128;
const PROJECT_FIELD_SIZE = 64;

export interface RomInfo {
  /** Block version, e.g. 9 for "MTK_ROMINFO_v09". */
  version: number;
  /** Offset of the block inside the ROM image. */
  offset: number;
  /** The build name (MediaTek's m_platform_id), as stored (MAUI upper-cases it). */
  buildName: string;
  /** The project/version field (MediaTek's m_project_id), e.g. "MAUI.11CW1418SP5.W15.19". */
  project: string;
  /** The MediaTek chip the build names, e.g. "MT2502"; undefined when the name holds none. */
  platform: string | undefined;
}

/** Finds and decodes the ROM-info block; undefined when the ROM carries none. */
export function readRomInfo(rom: Uint8Array): RomInfo | undefined {
  const offset = indexOfAscii(rom.subarray(0, ROM_INFO_SEARCH_RANGE), ROM_INFO_MAGIC);
  if (offset < 0) return undefined;
  const end = offset + IDENTIFIER_SIZE + BUILD_FIELD_SIZE + PROJECT_FIELD_SIZE;
  if (end > rom.length) return undefined;
  const identifier = cString(rom.subarray(offset, offset + IDENTIFIER_SIZE));
  const version = Number(identifier.slice(ROM_INFO_MAGIC.length));
  const buildStart = offset + IDENTIFIER_SIZE;
  const buildName = cString(rom.subarray(buildStart, buildStart + BUILD_FIELD_SIZE));
  const projectStart = buildStart + BUILD_FIELD_SIZE;
  const project = cString(rom.subarray(projectStart, projectStart + PROJECT_FIELD_SIZE));
  return {
    version: Number.isInteger(version) ? version : 0,
    offset,
    buildName,
    project,
    platform: platformOfBuildName(buildName),
  };
}

/** The chip named in a build name: `..._MT2502_S00.…` → MT2502 (first MTnnnn token). */
export function platformOfBuildName(buildName: string): string | undefined {
  const match = /(?:^|[_.])(MT\d{4}[A-Z]?)(?=[_.]|$)/i.exec(buildName);
  return match ? match[1]!.toUpperCase() : undefined;
}

/** Bytes up to the first NUL, printable ASCII only (anything else ends the string). */
function cString(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) {
    if (b < 0x20 || b >= 0x7f) break;
    text += String.fromCharCode(b);
  }
  return text.trim();
}

function indexOfAscii(haystack: Uint8Array, needle: string): number {
  const first = needle.charCodeAt(0);
  outer: for (let i = haystack.indexOf(first); i >= 0; i = haystack.indexOf(first, i + 1)) {
    if (i + needle.length > haystack.length) return -1;
    for (let k = 1; k < needle.length; k++)
      if (haystack[i + k] !== needle.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}

/** Writes a ROM-info block (used by the synthetic generator); returns its size. */
export function writeRomInfo(
  target: Uint8Array,
  offset: number,
  info: { version: number; buildName: string; project: string },
): number {
  const ascii = (text: string, at: number, size: number): void => {
    if (text.length >= size) throw new RangeError(`"${text}" does not fit ${size} bytes`);
    target.fill(0, at, at + size);
    target.set(new TextEncoder().encode(text), at);
  };
  ascii(`${ROM_INFO_MAGIC}${String(info.version).padStart(2, '0')}`, offset, IDENTIFIER_SIZE);
  ascii(info.buildName, offset + IDENTIFIER_SIZE, BUILD_FIELD_SIZE);
  ascii(info.project, offset + IDENTIFIER_SIZE + BUILD_FIELD_SIZE, PROJECT_FIELD_SIZE);
  return IDENTIFIER_SIZE + BUILD_FIELD_SIZE + PROJECT_FIELD_SIZE;
}
