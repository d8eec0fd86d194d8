// Device-side protocol constants (reference §1.4, §2.1, §2.4, §3.2), written for the emulator.

export const BROM = {
  handshake: [0xa0, 0x0a, 0x50, 0x05],
  legacyWrite16: 0xa1,
  legacyRead16: 0xa2,
  read16: 0xd0,
  read32: 0xd1,
  write16: 0xd2,
  write32: 0xd4,
  jumpDa: 0xd5,
  sendDa: 0xd7,
  getTargetConfig: 0xd8,
  getMeId: 0xe1,
  getBlVer: 0xfe,
  getVersion: 0xff,
} as const;

export const DA_BYTE = {
  sync: 0xc0,
  ack: 0x5a,
  nack: 0xa5,
  cont: 0x69,
  socOk: 0xc1,
  unknownCmd: 0xbb,
} as const;

export const DA_CMD = {
  speed: 0xd2,
  mem: 0xd3,
  write: 0xd5,
  read: 0xd6,
  finish: 0xd9,
  enableWatchdog: 0xdb,
  formatFat: 0xb8,
  clearPowerkeyMeta: 0xb9,
  clearLongPressPwkey: 0xc9,
} as const;

/** Status codes the device reports (MediaTek STATUS_E numbering). */
export const DA_STATUS = {
  norFlashNotFound: 3011,
  inProgress: 3021,
  invalidRange: 3039,
  norProgramFailed: 3014,
  uartDataChecksumError: 3064,
  flashNotFound: 3141,
} as const;

/** D2 baud codes (reference §2.4). */
export const BAUD_CODES: Readonly<Record<number, number>> = {
  0x01: 921600,
  0x02: 460800,
  0x03: 230400,
  0x04: 115200,
  0x05: 57600,
  0x06: 38400,
  0x07: 19200,
  0x08: 9600,
};

const MIB = 1024 * 1024;
/** Serial-flash sizes a virtual module can carry (GigaDevice GD25LQ32 / 64 / 128). */
export const FLASH_MIB_CHOICES = [4, 8, 16] as const;
export type FlashMiB = (typeof FLASH_MIB_CHOICES)[number];
/** MC60's part is 4 MiB (reference §4.3, QFlash expects GD25LQ32); a real-size MT2502 package
 * (≈ 4.9 MB of ROM + VIVA, the RePhone one) needs 16 MiB, chosen per module. */
export const DEFAULT_FLASH_MIB: FlashMiB = 4;
export const flashBytes = (mib: FlashMiB): number => mib * MIB;
export const SECTOR_SIZE = 4096;
/** Flash offset of the ROM image (load address 0x10020000 & 0x07FFFFFF). */
export const ROM_FLASH_OFFSET = 0x20000;
const FAT_LENGTH = 0x60000;
/** FAT region reported by FORMAT_FAT: the last 384 KiB of the part (0x3A0000 on 4 MiB). */
export function fatRegion(flashSize: number): { start: number; length: number } {
  return { start: flashSize - FAT_LENGTH, length: FAT_LENGTH };
}
