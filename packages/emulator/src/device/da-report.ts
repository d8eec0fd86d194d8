// The 198-byte DA hardware report (shared-wire §3, reference §2.3), big-endian.
import { DA_BYTE, DA_STATUS } from '../constants';
import type { JedecId } from './profile';

export const DA_REPORT_LENGTH = 198;

class Writer {
  readonly bytes = new Uint8Array(DA_REPORT_LENGTH);
  private view = new DataView(this.bytes.buffer);
  at = 0;
  b(v: number): this {
    this.view.setUint8(this.at, v);
    this.at += 1;
    return this;
  }
  w(v: number): this {
    this.view.setUint16(this.at, v);
    this.at += 2;
    return this;
  }
  d(v: number): this {
    this.view.setUint32(this.at, v >>> 0);
    this.at += 4;
    return this;
  }
  zeros(n: number): this {
    this.at += n;
    return this;
  }
}

/** `flashSize`: the part's bytes, reported in both NOR size fields (the host checks images fit). */
export function buildDaReport(flashId: JedecId, deviceEnum: number, flashSize: number): Uint8Array {
  const [mfr, type, capacity] = flashId;
  const w = new Writer();
  // NOR block, 54 bytes: die 1 is the detected part, die 2 absent.
  w.d(0).b(0).b(0).w(deviceEnum).d(flashSize).d(flashSize);
  w.w(mfr).w(type).w(capacity).w(0).d(0).d(0);
  w.w(0).d(0).w(0).w(0).w(0).w(0).d(0).d(0);
  // NAND block, 35 bytes and eMMC block, 44 bytes: not fitted.
  w.d(DA_STATUS.flashNotFound).zeros(31);
  w.d(DA_STATUS.flashNotFound).zeros(40);
  // RAM block, 30 bytes: 64 KiB internal SRAM, 4 MiB PSRAM, empty SF detection table.
  w.d(0).d(0x10000).d(0).b(0).b(0).d(0x400000).zeros(12);
  // MT6261 e-fuse workaround block, 24 bytes (values as in the RePhone FlashTool log).
  w.d(0xabababab).d(0x00011c7a).d(0x0001d794).d(0x00011c7a).d(0x0001d794).d(0);
  // Tail, 11 bytes: all sent, scan done, download status, boot style, SOC ok.
  w.b(DA_BYTE.ack).b(DA_BYTE.ack).d(0).d(0).b(DA_BYTE.socOk);
  if (w.at !== DA_REPORT_LENGTH) throw new Error(`DA report is ${w.at} bytes, expected 198`);
  return w.bytes;
}
