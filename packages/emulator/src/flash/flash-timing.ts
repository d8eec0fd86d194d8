// How long a flash part is busy erasing or programming, and when the DA may acknowledge a
// WRITE packet while the part is still programming earlier ones.
import { BLOCK_BYTES, PAGE_BYTES, SECTOR_BYTES, type FlashPart } from './flash-part';

/**
 * Erasing every sector that [offset, offset + length) touches: a whole, aligned 64 KiB block
 * costs one block erase (D8h), the sectors around it one sector erase (20h) each — what a NOR
 * driver does, and why a pre-format of a large image costs about a block erase per 64 KiB.
 */
export function eraseTimeMs(part: FlashPart, offset: number, length: number): number {
  if (length <= 0) return 0;
  const first = Math.floor(offset / SECTOR_BYTES);
  const last = Math.floor((offset + length - 1) / SECTOR_BYTES);
  const perBlock = BLOCK_BYTES / SECTOR_BYTES;
  let ms = 0;
  let sector = first;
  while (sector <= last) {
    if (sector % perBlock === 0 && sector + perBlock - 1 <= last) {
      ms += part.timing.blockEraseMs;
      sector += perBlock;
    } else {
      ms += part.timing.sectorEraseMs;
      sector += 1;
    }
  }
  return ms;
}

/** Programming [offset, offset + length): one page program per 256-byte page it touches. */
export function programTimeMs(part: FlashPart, offset: number, length: number): number {
  if (length <= 0) return 0;
  const pages =
    Math.floor((offset + length - 1) / PAGE_BYTES) - Math.floor(offset / PAGE_BYTES) + 1;
  return pages * part.timing.pageProgramMs;
}

/**
 * The DA's write path with two packet buffers (docs/emulator.md "When a packet is programmed"):
 * a packet that arrived whole is acknowledged as soon as a buffer is free for the next one, and
 * programmed while the next arrives. So the ACK waits only while the packet before it is still
 * being programmed, and after the last packet the DA says "all data written" when the part is idle.
 * `programBeforeAck` models the other possible DA (program, then ACK) for comparison.
 */
export class ProgramPipeline {
  private busyUntil = Number.NEGATIVE_INFINITY;

  constructor(private readonly programBeforeAck = false) {}

  /** A packet costing `busyMs` of flash time arrived at `now`: ms until its ACK may go out. */
  accept(now: number, busyMs: number): number {
    if (this.programBeforeAck) return busyMs;
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + busyMs;
    return start - now;
  }

  /** ms until every accepted packet is in flash. */
  drain(now: number): number {
    return Math.max(0, this.busyUntil - now);
  }
}
