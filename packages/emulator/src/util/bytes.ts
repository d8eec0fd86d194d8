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

/** Below this many bytes a word view costs more than it saves. */
const WORD_SUM_MIN = 64;
/** 32-bit words summed into two 16-bit lanes before a lane could overflow (128 × 2 × 255). */
const LANE_WORDS = 128;

/**
 * DA packet and image checksum: sum of bytes modulo 65536. Every 4 KiB packet of a download is
 * summed, so the body adds four bytes at a time: the two byte pairs of a 32-bit word go into
 * two 16-bit lanes with one masked add (byte order does not matter to a sum).
 */
export function byteSum16(data: Uint8Array, initial = 0): number {
  let sum = initial;
  let i = 0;
  const n = data.length;
  if (n >= WORD_SUM_MIN) {
    const head = (4 - (data.byteOffset & 3)) & 3;
    for (; i < head; i++) sum += data[i]!;
    const words = new Uint32Array(data.buffer, data.byteOffset + head, (n - head) >>> 2);
    let lanes = 0;
    for (let k = 0; k < words.length; k++) {
      const word = words[k]!;
      lanes += (word & 0x00ff00ff) + ((word >>> 8) & 0x00ff00ff);
      if (k % LANE_WORDS === LANE_WORDS - 1) {
        sum += (lanes & 0xffff) + (lanes >>> 16);
        lanes = 0;
      }
    }
    sum += (lanes & 0xffff) + (lanes >>> 16);
    i = head + words.length * 4;
  }
  for (; i < n; i++) sum += data[i]!;
  return sum & 0xffff;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
