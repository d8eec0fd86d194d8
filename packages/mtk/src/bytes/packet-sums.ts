import { sum16 } from './checksum';

/** One image's WRITE packet checksums for one packet length, and its whole-image sum16. */
export interface PacketSums {
  /** sum16 of packet k (bytes k × packetSize … (k + 1) × packetSize − 1). */
  readonly packets: Uint16Array;
  /** sum16 of the whole image (sum16 adds up: the packets' sums, mod 65536). */
  readonly whole: number;
}

const cache = new WeakMap<Uint8Array, Map<number, PacketSums>>();

/**
 * The packet checksums of `image`, computed once per image buffer and packet length. A station
 * flashes the same parsed package (the same buffers, station-files.ts) into every slot: summing
 * each 4 KiB packet again per job was ≈ 12 % of the agent's busy time at 128 slots (speed-work §18).
 * Image buffers are never written after loading; a package read again is a new buffer.
 */
export function packetSums(image: Uint8Array, packetSize: number): PacketSums {
  let bySize = cache.get(image);
  if (!bySize) cache.set(image, (bySize = new Map()));
  let sums = bySize.get(packetSize);
  if (!sums) {
    const packets = new Uint16Array(Math.ceil(image.length / packetSize));
    let whole = 0;
    for (let k = 0; k < packets.length; k++) {
      const sum = sum16(image.subarray(k * packetSize, (k + 1) * packetSize));
      packets[k] = sum;
      whole += sum;
    }
    sums = { packets, whole: whole & 0xffff };
    bySize.set(packetSize, sums);
  }
  return sums;
}
