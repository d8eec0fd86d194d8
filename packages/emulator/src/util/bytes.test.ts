import { describe, expect, it } from 'vitest';
import { byteSum16 } from './bytes';

/** The plain byte-by-byte sum the word-wise one must equal. */
function simpleSum16(data: Uint8Array, initial = 0): number {
  let sum = initial;
  for (const byte of data) sum += byte;
  return sum & 0xffff;
}

describe('byteSum16', () => {
  it('equals the byte-by-byte sum at every alignment, length and initial value', () => {
    const backing = new Uint8Array(9000);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 131 + (i >> 7)) & 0xff;
    for (const start of [0, 1, 2, 3, 5]) {
      for (const length of [0, 1, 3, 63, 64, 65, 511, 512, 513, 4096, 4098, 8191]) {
        const data = backing.subarray(start, start + length);
        expect(byteSum16(data)).toBe(simpleSum16(data));
        expect(byteSum16(data, 0xfff0)).toBe(simpleSum16(data, 0xfff0));
      }
    }
  });

  it('does not lose carries on long runs of 0xFF (the lanes are flushed before they overflow)', () => {
    for (const length of [512, 513, 4096, 65536 + 7]) {
      const data = new Uint8Array(length).fill(0xff);
      expect(byteSum16(data)).toBe(simpleSum16(data));
    }
  });

  it('sums a Buffer slice of a pooled allocation like any other view', () => {
    const buffer = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));
    const slice = buffer.subarray(7, 290);
    expect(byteSum16(slice)).toBe(simpleSum16(slice));
  });
});
