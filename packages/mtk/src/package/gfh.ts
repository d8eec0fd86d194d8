import { hex, readU16le, readU32le, writeU16le, writeU32le } from '../bytes/endian';
import { packageError } from './package-error';

export const GFH_FILE_INFO_SIZE = 0x38;
const MAGIC = [0x4d, 0x4d, 0x4d]; // "MMM"
const FILE_INFO_ID = 'FILE_INFO';

/** GFH file types seen in MC60 packages (ROM_TYPE_EX). */
export const GFH_TYPE = {
  ARM_BL: 0x0001,
  ARM_EXT_BL: 0x0002,
  PRIMARY_MAUI: 0x0100,
  VIVA: 0x0108,
  OPENCPU_APP: 0x7000,
} as const;

/** The GFH FILE_INFO block every image starts with (little-endian). */
export interface GfhFileInfo {
  version: number;
  fileVersion: number;
  fileType: number;
  flashDevice: number;
  signatureType: number;
  loadAddress: number;
  fileLength: number;
  maxSize: number;
  contentOffset: number;
  signatureLength: number;
  jumpOffset: number;
  attributes: number;
}

/** Parses and checks the FILE_INFO header of `image`; `name` goes into every error message. */
export function parseGfh(image: Uint8Array, name: string): GfhFileInfo {
  if (image.length < GFH_FILE_INFO_SIZE) {
    throw packageError(
      'INVALID_IMAGE',
      `${name}: ${image.length} bytes is too short for a GFH header (${GFH_FILE_INFO_SIZE})`,
    );
  }
  if (image[0] !== MAGIC[0] || image[1] !== MAGIC[1] || image[2] !== MAGIC[2]) {
    throw packageError('INVALID_IMAGE', `${name}: no GFH header (expected "MMM" at offset 0)`);
  }
  const id = new TextDecoder().decode(image.subarray(8, 8 + FILE_INFO_ID.length));
  if (id !== FILE_INFO_ID || readU16le(image, 6) !== 0) {
    throw packageError('INVALID_IMAGE', `${name}: first GFH block is not FILE_INFO`);
  }
  const info: GfhFileInfo = {
    version: image[3]!,
    fileVersion: readU32le(image, 0x14),
    fileType: readU16le(image, 0x18),
    flashDevice: image[0x1a]!,
    signatureType: image[0x1b]!,
    loadAddress: readU32le(image, 0x1c),
    fileLength: readU32le(image, 0x20),
    maxSize: readU32le(image, 0x24),
    contentOffset: readU32le(image, 0x28),
    signatureLength: readU32le(image, 0x2c),
    jumpOffset: readU32le(image, 0x30),
    attributes: readU32le(image, 0x34),
  };
  if (info.fileLength !== image.length) {
    const problem = image.length < info.fileLength ? 'truncated' : 'longer than its header says';
    throw packageError(
      'INVALID_IMAGE',
      `${name}: file is ${problem}: header length ${info.fileLength}, file ${image.length} bytes`,
    );
  }
  if (info.maxSize !== 0 && info.fileLength > info.maxSize) {
    throw packageError(
      'INVALID_IMAGE',
      `${name}: length ${info.fileLength} exceeds the header's max size ${info.maxSize}`,
    );
  }
  if (info.contentOffset > info.fileLength) {
    throw packageError(
      'INVALID_IMAGE',
      `${name}: content offset ${hex(info.contentOffset)} lies beyond the file`,
    );
  }
  return info;
}

/** Writes a FILE_INFO block at the start of `target` (used by the synthetic generator). */
export function writeGfhFileInfo(target: Uint8Array, info: Omit<GfhFileInfo, 'version'>): void {
  target.set(MAGIC, 0);
  target[3] = 1;
  writeU16le(target, 4, GFH_FILE_INFO_SIZE);
  writeU16le(target, 6, 0);
  target.set(new TextEncoder().encode(FILE_INFO_ID), 8);
  writeU32le(target, 0x14, info.fileVersion);
  writeU16le(target, 0x18, info.fileType);
  target[0x1a] = info.flashDevice;
  target[0x1b] = info.signatureType;
  writeU32le(target, 0x1c, info.loadAddress);
  writeU32le(target, 0x20, info.fileLength);
  writeU32le(target, 0x24, info.maxSize);
  writeU32le(target, 0x28, info.contentOffset);
  writeU32le(target, 0x2c, info.signatureLength);
  writeU32le(target, 0x30, info.jumpOffset);
  writeU32le(target, 0x34, info.attributes);
}
