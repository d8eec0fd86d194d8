// The full-flow DA commands (reference §2.6): FORMAT_HB, DOWNLOAD_BLOADER, FORMAT_CBR,
// GET/CREATE_CBR and FORMAT of a flash range, with the refusals a real DA would answer.
import { DA_BYTE, DA_STATUS, SECTOR_SIZE } from '../constants';
import { byteSum16, readU16be, readU32be, u32be } from '../util/bytes';
import type { DeviceContext } from './context';
import { eraseFactor } from './profile';
import { delay, read, readByte, type Program } from './program';

/** Command bytes of the full flow (MediaTek DOWNLOAD.H), kept beside the code that answers them. */
export const BOOT_CMD = {
  downloadBootLoader: 0x51,
  getCbrSetting: 0x52,
  createCbr: 0x53,
  formatHb: 0x55,
  formatCbr: 0x56,
  format: 0xd4,
} as const;
/** S_DA_CBR_NOT_FOUND: the flash holds no CBR yet. */
const CBR_NOT_FOUND = 3152;
/** Flash below this holds the header block and boot loaders (MAUI is linked from 0x20000). */
export const BOOT_REGION_END = 0x20000;
const FLASH_DEV_SF = 0x07;
const PROFILE_LENGTH = 39;
const MAX_BOOT_LOADERS = 4;
/** GFH types the DA places: ARM_BL in the header block at 0, ARM_EXT_BL where its address says. */
const ARM_BL = 0x0001;
const ARM_EXT_BL = 0x0002;
/** What the RePhone FlashTool log shows after a boot-loader download ("status is 0x0002"). */
const BL_DONE_STATUS = 2;
const FORMAT_STEPS = 10;

interface Placement {
  offset: number;
  length: number;
}

export class DaBootCommands {
  private hbFormatted = false;
  private cbr: Uint8Array | null = null;

  constructor(private readonly ctx: DeviceContext) {}

  private nack(status: number): void {
    this.ctx.send([DA_BYTE.nack, ...u32be(status)]);
  }

  private *erase(offset: number, length: number): Program {
    const sectors = this.ctx.flash.erase(offset, length);
    yield* delay(sectors * this.ctx.timing.sectorEraseMs * eraseFactor(this.ctx.faults));
  }

  /** 55 <dev>: only a serial-flash header block exists on this part. */
  *formatHb(): Program {
    const [dev] = yield* read(1);
    if (dev !== FLASH_DEV_SF) {
      this.nack(DA_STATUS.invalidRange);
      return;
    }
    this.hbFormatted = true;
    this.ctx.send([DA_BYTE.ack]);
  }

  /** 56: the CBR is erased; GET_CBR_SETTING answers "not found" until one is created. */
  formatCbr(): void {
    this.cbr = null;
    this.ctx.send([DA_BYTE.ack]);
  }

  /** 52: A5 + 3152 without a CBR, else 5A + the six words, read-only byte and version. */
  getCbrSetting(): void {
    if (!this.cbr) {
      this.nack(CBR_NOT_FOUND);
      return;
    }
    this.ctx.send([DA_BYTE.ack, ...this.cbr]);
  }

  /** 53: normal, fast, min spare, max spare, records (D), read-only (B), version (D) → 5A. */
  *createCbr(): Program {
    const args = yield* read(5 * 4 + 1 + 4);
    const word = (i: number): number => readU32be(args, i * 4);
    this.cbr = Uint8Array.from([
      ...u32be(0),
      ...u32be(word(0)),
      ...u32be(word(1)),
      ...u32be(word(3)),
      ...u32be(word(4)),
      ...u32be(word(0) + word(1) + word(3)),
      args[20]!,
      ...args.subarray(21, 25),
    ]);
    this.ctx.send([DA_BYTE.ack]);
  }

  /**
   * 51: packet length D + dev B → 5A; header check (5A empty, 69 holds a boot loader); count D,
   * format-HB flag, check-HB flag → 5A; a 39-byte profile per boot loader, each → 5A; 5A 5A;
   * then 5A + data + sum16 packets → 69; finally 5A + status D. Refused (A5 + 3039): no FORMAT_HB
   * first, a device other than SF, a count of 0 or over 4, a profile outside the boot region.
   */
  *downloadBootLoaders(): Program {
    if (!this.hbFormatted) {
      this.nack(DA_STATUS.invalidRange);
      return;
    }
    this.ctx.send([DA_BYTE.ack]);
    const setup = yield* read(5);
    const packetLength = readU32be(setup, 0);
    if (setup[4] !== FLASH_DEV_SF || packetLength === 0 || packetLength > 0x10000) {
      this.nack(DA_STATUS.invalidRange);
      return;
    }
    this.ctx.send([DA_BYTE.ack]);
    this.ctx.send([this.ctx.flash.isProgrammed(0, SECTOR_SIZE) ? DA_BYTE.cont : DA_BYTE.ack]);
    const head = yield* read(6);
    const count = readU32be(head, 0);
    if (count === 0 || count > MAX_BOOT_LOADERS) {
      this.nack(DA_STATUS.invalidRange);
      return;
    }
    this.ctx.send([DA_BYTE.ack]);
    const placements: Placement[] = [];
    for (let i = 0; i < count; i++) {
      const placement = this.place(yield* read(PROFILE_LENGTH), placements);
      if (!placement) {
        this.nack(DA_STATUS.invalidRange);
        return;
      }
      placements.push(placement);
      this.ctx.send([DA_BYTE.ack]);
    }
    this.ctx.send([DA_BYTE.ack, DA_BYTE.ack]);
    if (head[4] === DA_BYTE.ack) yield* this.erase(0, BOOT_REGION_END);
    for (const { offset, length } of placements) {
      let done = 0;
      while (done < length) {
        const size = Math.min(packetLength, length - done);
        const lead = yield* readByte();
        const frame = yield* read(size + 2);
        const data = frame.subarray(0, size);
        if (lead !== DA_BYTE.ack || byteSum16(data) !== readU16be(frame, size)) {
          this.nack(DA_STATUS.uartDataChecksumError);
          return;
        }
        this.ctx.flash.program(offset + done, data);
        yield* delay((size / SECTOR_SIZE) * this.ctx.timing.programMsPer4K);
        done += size;
        this.ctx.send([DA_BYTE.cont]);
      }
    }
    this.ctx.send([DA_BYTE.ack, ...u32be(BL_DONE_STATUS)]);
  }

  /** Where a profile's boot loader goes; null when the DA must refuse it. */
  private place(profile: Uint8Array, taken: Placement[]): Placement | null {
    if (profile[0] !== DA_BYTE.ack || profile[1] !== FLASH_DEV_SF) return null;
    const type = readU16be(profile, 2);
    const load = readU32be(profile, 4);
    const length = readU32be(profile, 29);
    if (type !== ARM_BL && type !== ARM_EXT_BL) return null;
    const offset = type === ARM_BL ? 0 : load & 0x07ffffff;
    const end = offset + length;
    if (length === 0 || end > BOOT_REGION_END || end > this.ctx.flash.size) return null;
    if (taken.some((t) => offset < t.offset + t.length && t.offset < end)) return null;
    return { offset, length };
  }

  /**
   * D4 <storage> <flag> <validation> <addr D> <len D>: 5A (allowed), 5A (range ok, else A5 +
   * 3039), then status + percent per tenth of the range, each acknowledged by the host, then 5A.
   */
  *format(): Program {
    const args = yield* read(3 + 8);
    const begin = readU32be(args, 3);
    const length = readU32be(args, 7);
    this.ctx.send([DA_BYTE.ack]);
    if (
      args[0] !== 0 ||
      length === 0 ||
      begin % SECTOR_SIZE !== 0 ||
      begin + length > this.ctx.flash.size
    ) {
      this.nack(DA_STATUS.invalidRange);
      return;
    }
    this.ctx.send([DA_BYTE.ack]);
    const sectors = Math.ceil(length / SECTOR_SIZE);
    for (let step = 1; step <= FORMAT_STEPS; step++) {
      const from = Math.floor(((step - 1) * sectors) / FORMAT_STEPS);
      const to = Math.floor((step * sectors) / FORMAT_STEPS);
      if (to > from)
        yield* this.erase(
          begin + from * SECTOR_SIZE,
          Math.min((to - from) * SECTOR_SIZE, begin + length - (begin + from * SECTOR_SIZE)),
        );
      const percent = step * (100 / FORMAT_STEPS);
      this.ctx.send(u32be(percent === 100 ? 0 : DA_STATUS.inProgress));
      this.ctx.send([percent]);
      yield* readByte(); // host ACK
    }
    this.ctx.send([DA_BYTE.ack]);
  }
}
