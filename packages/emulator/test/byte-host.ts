// Test helper: drives a VirtualModule byte by byte on a manual clock, with no pacing, and
// records what it answers. Written here (not imported from packages/mtk) on purpose.
import { ManualClock } from '../src/util/clock';
import { VirtualModule, type VirtualModuleOptions } from '../src/device/virtual-module';

export class ByteHost {
  readonly clock = new ManualClock();
  readonly module: VirtualModule;
  private received: number[] = [];
  baud = 115200;

  constructor(options: Omit<VirtualModuleOptions, 'clock'> = { imei: '861359030299596' }) {
    this.module = new VirtualModule({ ...options, clock: this.clock });
    this.module.attach({
      send: (bytes) => this.received.push(...bytes),
      setBaud: (baud) => (this.baud = baud),
      drop: () => undefined,
    });
  }

  /** Sends bytes, lets `ms` of device time pass, returns everything the device answered. */
  exchange(bytes: ArrayLike<number>, ms = 1): Uint8Array {
    this.module.onBytes(Uint8Array.from(bytes));
    this.clock.advance(ms);
    return this.take();
  }

  take(): Uint8Array {
    const out = Uint8Array.from(this.received);
    this.received = [];
    return out;
  }

  powerOnAndHandshake(): void {
    this.module.powerOn();
    this.clock.advance(10);
    const reply = this.exchange([0xa0, 0x0a, 0x50, 0x05]);
    if (Array.from(reply).join() !== [0x5f, 0xf5, 0xaf, 0xfa].join()) {
      throw new Error(`handshake failed: ${Array.from(reply)}`);
    }
  }
}

export function be32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export function be16(v: number): number[] {
  return [(v >>> 8) & 0xff, v & 0xff];
}

export function sum16(data: Uint8Array): number {
  let s = 0;
  for (const b of data) s += b;
  return s & 0xffff;
}

/** A 36-byte NOR table record (shared-wire §1) for the given JEDEC id. */
export function norRecord(deviceEnum: number, id: readonly [number, number, number]): number[] {
  const r = new Uint8Array(36);
  const v = new DataView(r.buffer);
  v.setUint16(0, deviceEnum, true);
  v.setUint32(4, 0x70007100, true);
  v.setUint16(0x10, 1, true);
  v.setUint16(0x12, id[0], true);
  v.setUint16(0x14, id[1], true);
  v.setUint16(0x16, id[2], true);
  return Array.from(r);
}

export const TERMINATOR = [0xff, 0xff, 0, 0, ...new Array<number>(32).fill(0)];
