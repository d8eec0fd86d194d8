// Big-endian helpers and the two checksums the device side computes. Written for the device on
// its own (design §2): the host's copies live in packages/mtk and must not be shared.

export function u16be(value: number): Uint8Array {
  return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

export function u32be(value: number): Uint8Array {
  return Uint8Array.of(
    (value >>> 24) & 0xff,
    (value >>> 16) & 0xff,
    (value >>> 8) & 0xff,
    value & 0xff,
  );
}

export function readU16be(bytes: Uint8Array, offset = 0): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

export function readU32be(bytes: Uint8Array, offset = 0): number {
  return (
    (((bytes[offset] ?? 0) << 24) |
      ((bytes[offset + 1] ?? 0) << 16) |
      ((bytes[offset + 2] ?? 0) << 8) |
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}

export function readU16le(bytes: Uint8Array, offset = 0): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

export function readU32le(bytes: Uint8Array, offset = 0): number {
  return readU16le(bytes, offset) + readU16le(bytes, offset + 2) * 0x10000;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** BROM SEND_DA checksum: XOR of little-endian 16-bit words; an odd last byte is XORed as is. */
export function xorChecksum16(data: Uint8Array, initial = 0): number {
  let sum = initial;
  const even = data.length & ~1;
  for (let i = 0; i < even; i += 2) sum ^= (data[i] as number) | ((data[i + 1] as number) << 8);
  if (even < data.length) sum ^= data[even] as number;
  return sum & 0xffff;
}

/** DA packet and image checksum: sum of bytes modulo 65536. */
export function byteSum16(data: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i < data.length; i++) sum += data[i] as number;
  return sum & 0xffff;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
