import { ROM_FLASH_OFFSET } from '../constants';
import { readU16le, readU32le } from '../util/bytes';
import type { FlashMemory } from './flash-memory';
import { ROM_INFO_WINDOW, revisionFromRomInfo } from './rom-revision';

export const ROM_FILE_TYPE = 0x0100;
const HEADER_SCAN = 4096;

export interface RomHeader {
  fileType: number;
  loadAddress: number;
  fileLength: number;
}

/** Parses a GFH FILE_INFO header (reference §4.2); null when the bytes are not one. */
export function parseGfhFileInfo(bytes: Uint8Array): RomHeader | null {
  if (bytes.length < 0x38) return null;
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!);
  const id = String.fromCharCode(...bytes.subarray(8, 17));
  if (magic !== 'MMM' || id !== 'FILE_INFO') return null;
  return {
    fileType: readU16le(bytes, 0x18),
    loadAddress: readU32le(bytes, 0x1c),
    fileLength: readU32le(bytes, 0x20),
  };
}

/**
 * Revision from a build name such as
 * `QUECTEL03D_M2M_11C_PCB01_gprs_MT6261_S00.MC60CAR01A03_BETA0628.bin` → `MC60CAR01A03`
 * (shared-wire §4): the dot segment before `.bin`, cut at its first underscore.
 */
export function revisionFromBuildName(name: string): string | null {
  if (!name.endsWith('.bin')) return null;
  const segments = name.slice(0, -4).split('.');
  const last = segments[segments.length - 1] ?? '';
  // A plain MAUI build's version is all of it (MAUI_11CW1418SP5_W15_19), never just "MAUI".
  const revision = /^MAUI_/i.test(last) ? last : (last.split('_')[0] ?? '');
  return segments.length >= 2 && revision.length > 0 ? revision : null;
}

/** Finds the first NUL-terminated printable-ASCII string ending in `.bin` in the bytes. */
export function findBuildName(bytes: Uint8Array): string | null {
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f) continue;
    if (b === 0 && i - start > 4) {
      const text = String.fromCharCode(...bytes.subarray(start, i));
      if (text.endsWith('.bin')) return text;
    }
    start = i + 1;
  }
  return null;
}

/** Revision of the ROM image in a header-sized slice (first 4 KiB of the image). */
export function revisionFromRomBytes(bytes: Uint8Array): string | null {
  const header = parseGfhFileInfo(bytes);
  if (!header || header.fileType !== ROM_FILE_TYPE) return null;
  const name = findBuildName(bytes.subarray(0, HEADER_SCAN));
  return name ? revisionFromBuildName(name) : null;
}

export interface RomStatus {
  /** Revision parsed from the ROM header in flash, or null when there is none. */
  revision: string | null;
  /** True when the header is intact and every sector the image spans was programmed. */
  bootable: boolean;
}

/** Inspects the ROM image at flash offset 0x20000, as the MAUI boot path would. */
export function inspectRom(flash: FlashMemory): RomStatus {
  const head = flash.read(ROM_FLASH_OFFSET, HEADER_SCAN);
  const header = parseGfhFileInfo(head);
  if (!header || header.fileType !== ROM_FILE_TYPE) return { revision: null, bootable: false };
  const window = flash.read(
    ROM_FLASH_OFFSET,
    Math.min(ROM_INFO_WINDOW, flash.size - ROM_FLASH_OFFSET),
  );
  const revision = revisionFromRomInfo(window) ?? revisionFromRomBytes(head);
  const fits = header.fileLength > 0 && ROM_FLASH_OFFSET + header.fileLength <= flash.size;
  const bootable = fits && flash.isProgrammed(ROM_FLASH_OFFSET, header.fileLength);
  return { revision, bootable };
}
