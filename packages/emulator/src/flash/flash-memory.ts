import { DEFAULT_FLASH_MIB, flashBytes, SECTOR_SIZE } from '../constants';
import { byteSum16 } from '../util/bytes';

/**
 * Sparse NOR flash: 4 KiB sectors, erased state 0xFF, programming can only clear bits (AND),
 * as on a real serial NOR part. A sector is stored only once it has been programmed since its
 * last erase, which is also how the boot check tells a complete image from a half-written one.
 */
export class FlashMemory {
  private readonly sectors = new Map<number, Uint8Array>();

  constructor(readonly size = flashBytes(DEFAULT_FLASH_MIB)) {
    if (!Number.isInteger(size) || size <= 0 || size % SECTOR_SIZE !== 0)
      throw new RangeError(`flash size must be a whole number of 4 KiB sectors (got ${size})`);
  }

  read(offset: number, length: number): Uint8Array {
    this.checkRange(offset, length);
    const out = new Uint8Array(length).fill(0xff);
    let at = 0;
    while (at < length) {
      const address = offset + at;
      const index = Math.floor(address / SECTOR_SIZE);
      const within = address % SECTOR_SIZE;
      const take = Math.min(SECTOR_SIZE - within, length - at);
      const sector = this.sectors.get(index);
      if (sector) out.set(sector.subarray(within, within + take), at);
      at += take;
    }
    return out;
  }

  /** NOR program: new = old AND data. Unerased bytes therefore corrupt, as on hardware. */
  program(offset: number, data: Uint8Array): void {
    this.checkRange(offset, data.length);
    let at = 0;
    while (at < data.length) {
      const address = offset + at;
      const index = Math.floor(address / SECTOR_SIZE);
      const within = address % SECTOR_SIZE;
      const take = Math.min(SECTOR_SIZE - within, data.length - at);
      const piece = data.subarray(at, at + take);
      const sector = this.sectors.get(index);
      if (sector) andInto(sector, within, piece);
      else this.sectors.set(index, freshSector(within, piece));
      at += take;
    }
  }

  /**
   * Sum of the range's bytes modulo 65536 (the DA's image checksum) without copying it out:
   * unprogrammed sectors read as 0xFF.
   */
  sum16(offset: number, length: number): number {
    this.checkRange(offset, length);
    let sum = 0;
    let at = 0;
    while (at < length) {
      const address = offset + at;
      const within = address % SECTOR_SIZE;
      const take = Math.min(SECTOR_SIZE - within, length - at);
      const sector = this.sectors.get(Math.floor(address / SECTOR_SIZE));
      sum += sector ? byteSum16(sector.subarray(within, within + take)) : take * 0xff;
      at += take;
    }
    return sum & 0xffff;
  }

  /** Erases every sector touched by [offset, offset + length); returns how many. */
  erase(offset: number, length: number): number {
    this.checkRange(offset, length);
    if (length === 0) return 0;
    const first = Math.floor(offset / SECTOR_SIZE);
    const last = Math.floor((offset + length - 1) / SECTOR_SIZE);
    for (let i = first; i <= last; i++) this.sectors.delete(i);
    return last - first + 1;
  }

  /** True when every sector of the range has been programmed since its last erase. */
  isProgrammed(offset: number, length: number): boolean {
    if (length <= 0 || offset + length > this.size) return false;
    const first = Math.floor(offset / SECTOR_SIZE);
    const last = Math.floor((offset + length - 1) / SECTOR_SIZE);
    for (let i = first; i <= last; i++) if (!this.sectors.has(i)) return false;
    return true;
  }

  /** Bytes of RAM the sparse model holds (for the scale benchmark). */
  get storedBytes(): number {
    return this.sectors.size * SECTOR_SIZE;
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0) {
      throw new RangeError(`flash range must be non-negative integers (got ${offset}+${length})`);
    }
    if (offset + length > this.size) {
      throw new RangeError(
        `flash range 0x${offset.toString(16)}+0x${length.toString(16)} exceeds the ${this.size}-byte part`,
      );
    }
  }
}

/** An erased sector programmed once: 0xFF AND data is the data, so it is copied in. */
function freshSector(within: number, data: Uint8Array): Uint8Array {
  const sector = new Uint8Array(SECTOR_SIZE);
  if (data.length < SECTOR_SIZE) sector.fill(0xff);
  sector.set(data, within);
  return sector;
}

/**
 * Programs over already programmed bytes: bits only clear. A packet that straddles sectors
 * lands here for its first part, so when both sides share their alignment the body is ANDed
 * a 32-bit word at a time.
 */
function andInto(sector: Uint8Array, within: number, data: Uint8Array): void {
  let i = 0;
  const target = sector.byteOffset + within;
  if (data.length >= 64 && (target & 3) === (data.byteOffset & 3)) {
    const head = (4 - (target & 3)) & 3;
    for (; i < head; i++) sector[within + i]! &= data[i]!;
    const count = (data.length - head) >>> 2;
    const into = new Uint32Array(sector.buffer, target + head, count);
    const from = new Uint32Array(data.buffer, data.byteOffset + head, count);
    for (let k = 0; k < count; k++) into[k]! &= from[k]!;
    i = head + count * 4;
  }
  for (; i < data.length; i++) sector[within + i]! &= data[i]!;
}
