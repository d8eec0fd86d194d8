import { describe, expect, it } from 'vitest';
import { sum16, xor16 } from './checksum';

describe('checksums (values worked out by hand)', () => {
  it('sum16 adds bytes modulo 65536', () => {
    expect(sum16(Uint8Array.of(1, 2, 3))).toBe(6);
    // 300 × 0xFF = 76500 = 65536 + 10964 → 0x2AD4
    expect(sum16(new Uint8Array(300).fill(0xff))).toBe(0x2ad4);
    expect(sum16(Uint8Array.of(0x10), 0xfff5)).toBe(0x0005);
  });

  it('xor16 XORs little-endian words, odd tail byte as is', () => {
    // 0x0201 ^ 0x0403 = 0x0602
    expect(xor16(Uint8Array.of(0x01, 0x02, 0x03, 0x04))).toBe(0x0602);
    // 0x0201 ^ 0x0003 = 0x0202
    expect(xor16(Uint8Array.of(0x01, 0x02, 0x03))).toBe(0x0202);
    // 0xAF5D ^ 0x0000 ^ 0xFF00 = 0x505D
    expect(xor16(Uint8Array.of(0x5d, 0xaf, 0x00, 0x00, 0x00, 0xff))).toBe(0x505d);
    expect(xor16(new Uint8Array(0))).toBe(0);
  });
});
