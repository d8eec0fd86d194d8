// Builds a synthetic (non-MediaTek) ROM image with a GFH FILE_INFO header and the build-name
// block of shared-wire §4, so a virtual module can start with a revision in its flash and tests
// or conformance scripts can flash a new one.
import { createRandom } from '../util/prng';
import { ROM_FILE_TYPE } from './rom-info';

export interface SyntheticRomOptions {
  revision: string;
  /** Total image length in bytes (default 100 KiB). */
  size?: number;
  /** Seed for the filler bytes, so two builds of one revision are identical. */
  seed?: number;
}

const FILE_INFO_SIZE = 0x38;
const LOAD_ADDRESS = 0x10020000;

export function buildSyntheticRom({
  revision,
  size = 100 * 1024,
  seed = 1,
}: SyntheticRomOptions): Uint8Array {
  if (!/^[A-Za-z0-9]+$/.test(revision)) {
    throw new Error(`revision must be letters and digits only (got "${revision}")`);
  }
  const name = `QUECTEL_SYNTH_MT6261.${revision}.bin\0`;
  const blockSize = 8 + name.length + ((4 - (name.length % 4)) % 4);
  const contentOffset = FILE_INFO_SIZE + blockSize;
  if (size < contentOffset + 16) throw new Error(`ROM size ${size} is too small for its header`);

  const image = new Uint8Array(size);
  const view = new DataView(image.buffer);
  image.set([0x4d, 0x4d, 0x4d, 0x01]); // 'MMM', GFH version 1
  view.setUint16(4, FILE_INFO_SIZE, true);
  view.setUint16(6, 0x0000, true); // GFH type FILE_INFO
  image.set(new TextEncoder().encode('FILE_INFO'), 8);
  view.setUint32(0x14, 1, true);
  view.setUint16(0x18, ROM_FILE_TYPE, true);
  image[0x1a] = 0x07; // serial flash
  view.setUint32(0x1c, LOAD_ADDRESS, true);
  view.setUint32(0x20, size, true);
  // Max size: the 4 MiB region, or room for a real-size image (a 16 MiB part) rounded to 64 KiB.
  view.setUint32(0x24, Math.max(0x00400000, Math.ceil(size / 0x10000) * 0x10000), true);
  view.setUint32(0x28, contentOffset, true);
  view.setUint32(0x30, contentOffset, true);

  // Build-name block right after FILE_INFO ('MMM', version, size, GFH type 0x0005).
  image.set([0x4d, 0x4d, 0x4d, 0x01], FILE_INFO_SIZE);
  view.setUint16(FILE_INFO_SIZE + 4, blockSize, true);
  view.setUint16(FILE_INFO_SIZE + 6, 0x0005, true);
  image.set(new TextEncoder().encode(name), FILE_INFO_SIZE + 8);

  const random = createRandom(seed);
  for (let i = contentOffset; i < size; i++) image[i] = Math.floor(random() * 256);
  return image;
}
