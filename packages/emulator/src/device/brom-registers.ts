// The registers a host touches in the boot-ROM stage (reference §1.6, docs/protocol.md "Boot ROM
// registers"): chip ids, e-fuse, watchdog, PMU charger control, RTC, remap and the EMI/PSRAM
// calibration engine. Little-endian 16-bit halfwords, as the chip's bus sees them.
import type { DeviceContext } from './context';

export const REG = {
  hwVersion: 0x80000000,
  swVersion: 0x80000004,
  hwCode: 0x80000008,
  subCode: 0x8000000c,
  efuse: 0xa01c0108,
  /** WDT_MODE: the host writes 0x2200 (key 0x22, watchdog off). */
  wdtMode: 0xa0030000,
  /** WDT_SWRST: 0x1209 reboots the chip. */
  wdtSwReset: 0xa003001c,
  /** Charger control (PMU): 0xF210 / 0x4010 for a UART download with battery. */
  chargerCon: 0xa0700a00,
  chargerCon2: 0xa0700a28,
  /** RTC BBPU: bit 6 = CBUSY (an RTC write still being committed); hosts poll it clear. */
  rtcBbpu: 0xa0710000,
  rtcOsc32Con: 0xa071004c,
  rtcPowerKey1: 0xa0710050,
  rtcPowerKey2: 0xa0710054,
  rtcProt: 0xa0710068,
  /** WRTGR: 1 commits the RTC writes before it. */
  rtcWriteTrigger: 0xa0710074,
  /** BOOT_CON: bits[1:0] = 2 maps bank 0 to serial flash, bank 1 to PSRAM. */
  bootCon: 0xa0510000,
  /** EMI input delay for PSRAM data (IDLC), swept by the calibration. */
  emiDelayC: 0xa00500d0,
  /** MBIST control: pattern in the upper half, 0x325 in the low 12 bits starts a test. */
  mbistControl: 0xa0050300,
  mbistRange: 0xa0050308,
  /** MBIST status: bit 1 finished, bit 0 failed. */
  mbistStatus: 0xa0050318,
} as const;

const MBIST_START_KEY = 0x325;
const MBIST_FINISHED = 0x2;
const MBIST_FAILED = 0x1;
const CBUSY = 1 << 6;
/** Input delays (each byte of IDLC) at which the modelled PSRAM reads back correctly: the
 * sweep from 0x1F down to 0x01 must find a passing window, as on a healthy module. */
const PSRAM_DELAY_WINDOW = { min: 0x08, max: 0x14 };

export class BromRegisters {
  private readonly halfwords = new Map<number, number>();

  constructor(private readonly ctx: DeviceContext) {
    this.set16(REG.hwVersion, ctx.chip.hwVersion);
    this.set16(REG.swVersion, ctx.chip.swVersion);
    this.set16(REG.hwCode, ctx.chip.hwCode);
    this.set16(REG.subCode, ctx.chip.subCode);
    this.set32(REG.efuse, ctx.chip.efuse);
  }

  /**
   * The boot ROM reads the bus without an address check (mtkclient dumps memory through it).
   * What the MT6261 returns for an unmapped address is in no source; here such an address
   * reads 0 until written, and keeps what is written, like a plain register.
   */
  read16(address: number): number {
    const a = address >>> 0;
    if (a === REG.rtcBbpu) return (this.halfwords.get(a) ?? 0) & ~CBUSY;
    return this.halfwords.get(a) ?? 0;
  }

  read32(address: number): number {
    return ((this.read16(address + 2) << 16) | this.read16(address)) >>> 0;
  }

  write16(address: number, value: number): void {
    this.set16(address, value);
  }

  write32(address: number, value: number): void {
    const a = address >>> 0;
    this.set32(a, value);
    if (a === REG.mbistControl) this.mbist(value >>> 0);
  }

  /** Writing the start key runs the memory self-test at once; a write without it resets it. */
  private mbist(control: number): void {
    if ((control & 0xfff) !== MBIST_START_KEY) {
      this.set32(REG.mbistStatus, 0);
      return;
    }
    this.set32(REG.mbistStatus, MBIST_FINISHED | (this.psramReadsBack() ? 0 : MBIST_FAILED));
  }

  private psramReadsBack(): boolean {
    if (this.ctx.faults.deadPsram) return false;
    const delay = this.read32(REG.emiDelayC);
    const bytes = [0, 8, 16, 24].map((shift) => (delay >>> shift) & 0xff);
    return bytes.every((d) => d >= PSRAM_DELAY_WINDOW.min && d <= PSRAM_DELAY_WINDOW.max);
  }

  private set16(address: number, value: number): void {
    this.halfwords.set(address >>> 0, value & 0xffff);
  }

  private set32(address: number, value: number): void {
    this.set16(address, value & 0xffff);
    this.set16(address + 2, value >>> 16);
  }
}
