// The relay's pipes carry frames, not a bare byte stream, so each chunk can carry a time: a
// 12-byte header (float64 ms on the monotonic clock, uint32 length, little-endian) + the bytes.
// Host → emulator: when the relay read them; emulator → host: when to write them (0 = at once).

const HEADER = 12;

/**
 * performance.now() minus CLOCK_MONOTONIC in ms: both count from the same clock in Node (libuv's
 * uv_hrtime), so one offset converts the relay's times.
 */
export const MONOTONIC_TO_NOW = performance.now() - Number(process.hrtime.bigint()) / 1e6;

export function frame(time: number, bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER + bytes.length);
  out.writeDoubleLE(time, 0);
  out.writeUInt32LE(bytes.length, 8);
  out.set(bytes, HEADER);
  return out;
}

/** Reassembles frames from pipe chunks of any size. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (bytes: Uint8Array, time: number) => void) {}

  push(chunk: Buffer): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (data.length >= HEADER) {
      const length = data.readUInt32LE(8);
      if (data.length < HEADER + length) break;
      const time = data.readDoubleLE(0);
      this.onFrame(new Uint8Array(data.buffer, data.byteOffset + HEADER, length), time);
      data = data.subarray(HEADER + length);
    }
    this.pending = data.length > 0 ? Buffer.from(data) : Buffer.alloc(0);
  }
}
