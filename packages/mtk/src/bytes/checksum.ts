/**
 * DA checksum (WRITE packets, whole-image verify, readback): sum of all bytes modulo 65536.
 * `initial` lets a caller continue a running sum across packets.
 */
export function sum16(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i < bytes.length; i++) sum += bytes[i]!;
  return sum & 0xffff;
}

/**
 * BROM SEND_DA checksum: XOR of the 16-bit little-endian words of the image; an odd trailing
 * byte is XORed in as-is. The BROM sends the result most-significant byte first.
 */
export function xor16(bytes: Uint8Array): number {
  let acc = 0;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) acc ^= bytes[i]! | (bytes[i + 1]! << 8);
  if (even < bytes.length) acc ^= bytes[even]!;
  return acc & 0xffff;
}
