import { describe, expect, it } from 'vitest';
import { byteSum16 } from '../util/bytes';
import { FlashMemory } from './flash-memory';

const SIZE = 64 * 1024;

function pattern(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 29 + seed) & 0xff);
}

describe('FlashMemory', () => {
  it('a first program into an erased sector keeps 0xFF around the written bytes', () => {
    const flash = new FlashMemory(SIZE);
    flash.program(4096 + 100, Uint8Array.of(0x12, 0x34));
    expect(Array.from(flash.read(4096 + 98, 6))).toEqual([0xff, 0xff, 0x12, 0x34, 0xff, 0xff]);
    expect(flash.isProgrammed(4096, 4096)).toBe(true);
    expect(flash.isProgrammed(0, 4096)).toBe(false);
  });

  it('programming again only clears bits (old AND new), across sector boundaries', () => {
    const flash = new FlashMemory(SIZE);
    const first = pattern(10000, 3);
    const second = pattern(10000, 200);
    flash.program(1000, first);
    flash.program(1000, second);
    const expected = first.map((b, i) => b & second[i]!);
    expect(Array.from(flash.read(1000, 10000))).toEqual(Array.from(expected));
  });

  it('ANDs the same at every alignment of address and data (word-wise body, byte-wise ends)', () => {
    for (const address of [2000, 2001, 2002, 2003]) {
      for (const dataStart of [0, 1, 2, 3]) {
        const flash = new FlashMemory(SIZE);
        const first = pattern(6000, 5);
        const second = pattern(6000 + dataStart, 77).subarray(dataStart);
        flash.program(address, first);
        flash.program(address, second);
        const expected = first.map((b, i) => b & second[i]!);
        expect(Array.from(flash.read(address, 6000))).toEqual(Array.from(expected));
        expect(flash.read(address - 1, 1)[0]).toBe(0xff);
        expect(flash.read(address + 6000, 1)[0]).toBe(0xff);
      }
    }
  });

  it('a whole-sector program after an erase replaces the old contents', () => {
    const flash = new FlashMemory(SIZE);
    flash.program(8192, new Uint8Array(4096));
    flash.erase(8192, 4096);
    const data = pattern(4096, 9);
    flash.program(8192, data);
    expect(Array.from(flash.read(8192, 4096))).toEqual(Array.from(data));
  });

  it('sum16 equals the sum of what read returns, erased sectors counted as 0xFF', () => {
    const flash = new FlashMemory(SIZE);
    flash.program(5000, pattern(7000, 1));
    flash.program(30000, pattern(100, 2));
    for (const [offset, length] of [
      [0, SIZE],
      [4095, 2],
      [5001, 6998],
      [20000, 4096],
      [0, 0],
    ] as const) {
      expect(flash.sum16(offset, length)).toBe(byteSum16(flash.read(offset, length)));
    }
  });
});
