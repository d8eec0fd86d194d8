import { describe, expect, it } from 'vitest';
import { sum16 } from './checksum';
import { packetSums } from './packet-sums';

/** Deterministic bytes with long 0xFF runs and every value, like a padded firmware image. */
function image(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = i % 5000 < 700 ? 0xff : x >>> 24;
  }
  return bytes;
}

describe('packetSums', () => {
  it('gives each packet the sum16 of its bytes, the short last one included', () => {
    const data = image(4096 * 5 + 123, 7);
    const { packets, whole } = packetSums(data, 4096);
    expect(packets.length).toBe(6);
    for (let k = 0; k < 6; k++)
      expect(packets[k]).toBe(sum16(data.subarray(k * 4096, (k + 1) * 4096)));
    expect(whole).toBe(sum16(data));
  });

  it('keeps one result per image and packet length', () => {
    const data = image(10_000, 3);
    expect(packetSums(data, 4096)).toBe(packetSums(data, 4096));
    const small = packetSums(data, 1024);
    expect(small.packets.length).toBe(10);
    expect(small.whole).toBe(sum16(data));
    // A copy of the same bytes is another image: its sums are its own, and equal.
    const copy = data.slice();
    expect(packetSums(copy, 4096)).not.toBe(packetSums(data, 4096));
    expect(packetSums(copy, 4096).packets).toEqual(packetSums(data, 4096).packets);
  });

  it('wraps the whole sum at 65536 over a multi-megabyte image', () => {
    const data = new Uint8Array(3 * 1024 * 1024 + 17).fill(0xff);
    expect(packetSums(data, 4096).whole).toBe((0xff * data.length) & 0xffff);
  });

  it('an empty image has no packets and sums to 0', () => {
    expect(packetSums(new Uint8Array(0), 4096)).toEqual({ packets: new Uint16Array(0), whole: 0 });
  });
});
