// DA commands after the hardware report: SPEED, MEM, WRITE (+verify), READ, FORMAT_FAT.
import { BAUD_CODES, DA_BYTE, DA_STATUS, fatRegion, SECTOR_SIZE } from '../constants';
import { eraseTimeMs, ProgramPipeline, programTimeMs } from '../flash/flash-timing';
import { byteSum16, readU16be, readU32be, u16be, u32be } from '../util/bytes';
import type { DeviceContext } from './context';
import { eraseFactor } from './profile';
import { delay, read, readByte, type Program } from './program';

const BLOCK_SIZE = 0x10000;
const LOOPBACK_BYTES = 256;

interface MemImage {
  begin: number;
  length: number;
  type: number;
}

export class DaSession {
  private images: MemImage[] = [];

  constructor(private readonly ctx: DeviceContext) {}

  private nack(status: number): void {
    this.ctx.send([DA_BYTE.nack, ...u32be(status)]);
  }

  private *erase(offset: number, length: number): Program {
    yield* delay(this.eraseMs(offset, length));
  }

  /** Erases now; returns the part's busy time for it (block/sector erases, slowErase factor). */
  private eraseMs(offset: number, length: number): number {
    this.ctx.flash.erase(offset, length);
    return eraseTimeMs(this.ctx.flashPart, offset, length) * eraseFactor(this.ctx.faults);
  }

  /** D2 <code> <sync>: ACK, switch, C0/5A sync at the new rate, optional 256-byte loopback. */
  *speed(): Program {
    const [code, fullSync] = yield* read(2);
    const baud = BAUD_CODES[code!];
    if (!baud) {
      this.nack(DA_STATUS.invalidRange);
      return;
    }
    this.ctx.send([DA_BYTE.ack]);
    if (fullSync) yield* readByte(); // host ACK, still at the old rate
    this.ctx.setBaud(baud);
    for (;;) {
      const byte = yield* readByte();
      if (byte === DA_BYTE.sync) this.ctx.send([DA_BYTE.sync]);
      else if (byte === DA_BYTE.ack) break;
    }
    this.ctx.send([DA_BYTE.ack]);
    if (!fullSync) return;
    for (let i = 0; i < LOOPBACK_BYTES; i++) this.ctx.send([yield* readByte()]);
  }

  /** D3 A5 <n>, n × (begin, end, type): declare images, then pre-format their ranges. */
  *mem(): Program {
    const [, count] = yield* read(2);
    const images: MemImage[] = [];
    for (let i = 0; i < count!; i++) {
      const fields = yield* read(12);
      const begin = readU32be(fields, 0);
      const end = readU32be(fields, 4);
      if (end < begin || end >= this.ctx.flash.size) {
        this.nack(DA_STATUS.invalidRange);
        return;
      }
      images.push({ begin, length: end - begin + 1, type: readU32be(fields, 8) });
      this.ctx.send([DA_BYTE.ack]);
    }
    this.images = images;
    this.ctx.send([count!, DA_BYTE.ack]);
    for (const image of images) {
      const blocks = Math.ceil(image.length / BLOCK_SIZE);
      this.ctx.send(u32be(blocks));
      // The region is erased as one range (block erases where whole blocks fit, sectors at
      // the unaligned ends), its time paid out evenly over the progress ACKs.
      const totalMs = this.eraseMs(image.begin, image.length);
      for (let b = 0; b < blocks; b++) {
        yield* delay(totalMs / blocks);
        this.ctx.send([DA_BYTE.ack]);
      }
    }
    this.ctx.send([DA_BYTE.ack]);
  }

  /**
   * D5: packets of ACK + data + sum16 per image, each answered CONT, or NACK + status, then
   * ACK (RX flushed) and the host's CONT to resend. Returns a command byte the host sent
   * instead of CONT/NACK after an error (it aborted and moved on), else null.
   */
  *write(): Program<number | null> {
    if (this.images.length === 0) {
      this.nack(DA_STATUS.invalidRange);
      return null;
    }
    this.ctx.send([DA_BYTE.ack]);
    const setup = yield* read(5);
    const sequentialErase = setup[0] === 1;
    const packetLength = readU32be(setup, 1);
    if (packetLength === 0 || packetLength > 0x10000) {
      this.nack(DA_STATUS.invalidRange);
      return null;
    }
    this.ctx.send([DA_BYTE.ack, DA_BYTE.ack]);
    const erased = new Set<number>();
    const pipeline = new ProgramPipeline(this.ctx.timing.programBeforeAck);
    for (const image of this.images) {
      let done = 0;
      while (done < image.length) {
        const size = Math.min(packetLength, image.length - done);
        const lead = yield* readByte();
        if (lead === DA_BYTE.nack) return null; // host stops the download
        const frame = yield* read(size + 2);
        const data = frame.subarray(0, size);
        const offset = image.begin + done;
        let status = 0;
        if (lead !== DA_BYTE.ack || byteSum16(data) !== readU16be(frame, size)) {
          status = DA_STATUS.uartDataChecksumError;
        } else if (this.hitsBadSector(offset, size)) {
          status = DA_STATUS.norProgramFailed;
        }
        if (status !== 0) {
          this.nack(status);
          this.ctx.send([DA_BYTE.ack]); // RX buffer flushed, ready for the resend
          const answer = yield* readByte();
          if (answer === DA_BYTE.cont) continue;
          return answer === DA_BYTE.nack ? null : answer;
        }
        const eraseMs = sequentialErase ? this.eraseNewSectors(offset, size, erased) : 0;
        this.ctx.flash.program(offset, data);
        const busyMs = eraseMs + programTimeMs(this.ctx.flashPart, offset, size);
        yield* delay(pipeline.accept(this.ctx.now(), busyMs));
        this.ctx.programmed(offset, size);
        done += size;
        this.ctx.send([DA_BYTE.cont]);
      }
    }
    yield* delay(pipeline.drain(this.ctx.now())); // "all data written" once the part is idle
    this.ctx.send([DA_BYTE.ack, DA_BYTE.ack, DA_BYTE.ack]);
    for (const image of this.images) {
      const expected = readU16be(yield* read(2));
      const actual = this.ctx.flash.sum16(image.begin, image.length);
      this.ctx.send(actual === expected ? [DA_BYTE.ack] : [DA_BYTE.nack, ...u16be(actual)]);
    }
    return null;
  }

  /** D6 <storage> <addr> <len> <packet>: packets + sum16, host answers ACK / CONT (resend) / NACK. */
  *readBack(): Program {
    const args = yield* read(13);
    const address = readU32be(args, 1);
    const length = readU32be(args, 5);
    const packet = readU32be(args, 9);
    if (packet === 0 || address + length > this.ctx.flash.size) {
      this.nack(DA_STATUS.invalidRange);
      return;
    }
    this.ctx.send([DA_BYTE.ack]);
    let done = 0;
    while (done < length) {
      const size = Math.min(packet, length - done);
      const data = this.ctx.flash.read(address + done, size);
      this.ctx.send(data);
      this.ctx.send(u16be(byteSum16(data)));
      const answer = yield* readByte();
      if (answer === DA_BYTE.nack) return;
      if (answer === DA_BYTE.ack) done += size;
    }
  }

  /** B8 <erase flag> <validation>: report the FAT range, erase it with percent progress. */
  *formatFat(): Program {
    yield* read(2);
    const fat = fatRegion(this.ctx.flash.size);
    this.ctx.send(u32be(0));
    this.ctx.send(u32be(fat.start));
    this.ctx.send(u32be(fat.length));
    this.ctx.send(new Uint8Array(16));
    this.ctx.send([DA_BYTE.ack, DA_BYTE.ack]);
    const steps = 10;
    const sectors = fat.length / SECTOR_SIZE;
    for (let step = 1; step <= steps; step++) {
      // Whole sectors per step: the region need not divide into ten equal byte ranges.
      const from = Math.floor(((step - 1) * sectors) / steps);
      const to = Math.floor((step * sectors) / steps);
      yield* this.erase(fat.start + from * SECTOR_SIZE, (to - from) * SECTOR_SIZE);
      const percent = step * 10;
      this.ctx.send(u32be(percent === 100 ? 0 : DA_STATUS.inProgress));
      this.ctx.send([percent]);
      yield* readByte(); // host ACK
    }
    this.ctx.send([DA_BYTE.ack]);
  }

  private hitsBadSector(offset: number, size: number): boolean {
    const bad = this.ctx.faults.badSector;
    if (bad === undefined) return false;
    const start = bad - (bad % SECTOR_SIZE);
    return offset < start + SECTOR_SIZE && offset + size > start;
  }

  /** Sequential erase: erases the sectors this packet is the first to touch; returns the time. */
  private eraseNewSectors(offset: number, size: number, erased: Set<number>): number {
    const first = Math.floor(offset / SECTOR_SIZE);
    const last = Math.floor((offset + size - 1) / SECTOR_SIZE);
    let ms = 0;
    for (let s = first; s <= last; s++) {
      if (erased.has(s)) continue;
      erased.add(s);
      ms += this.eraseMs(s * SECTOR_SIZE, SECTOR_SIZE);
    }
    return ms;
  }
}
