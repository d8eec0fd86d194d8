import { DEFAULT_FLASH_MIB, flashBytes, SECTOR_SIZE } from '../constants';

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
      let sector = this.sectors.get(index);
      if (!sector) {
        sector = new Uint8Array(SECTOR_SIZE).fill(0xff);
        this.sectors.set(index, sector);
      }
      for (let i = 0; i < take; i++) sector[within + i]! &= data[at + i]!;
      at += take;
    }
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
