/** DA response bytes (DOWNLOAD.H). */
export const ACK = 0x5a;
export const NACK = 0xa5;
export const CONT = 0x69;
export const SYNC = 0xc0;
export const SOC_OK = 0xc1;
export const FLUSH_CONT = 0xe1;
export const FLUSH_DONE = 0xe2;

export const DA_CMD = {
  SPEED: 0xd2,
  MEM: 0xd3,
  WRITE: 0xd5,
  READ: 0xd6,
  FINISH: 0xd9,
  ENABLE_WATCHDOG: 0xdb,
  FORMAT_FAT: 0xb8,
  CLEAR_POWERKEY_IN_META_MODE: 0xb9,
  CLEAR_LONG_PRESS_PWKEY: 0xc9,
} as const;

/** DA_MAJOR_VER / DA_MINOR_VER of the legacy SV5 DA. */
export const DA_VERSION = { major: 3, minor: 2 } as const;
/** BBCHIP enum value the MT6261-family DA reports. */
export const BB_CHIP_MT6261 = 0x8e;

/** `D2` baud codes (UART_BAUDRATE enum). */
export const BAUD_CODES: Readonly<Record<number, number>> = {
  921600: 0x01,
  460800: 0x02,
  230400: 0x03,
  115200: 0x04,
};

export const SUPPORTED_BAUDS = [921600, 460800, 230400, 115200] as const;
export type SupportedBaud = (typeof SUPPORTED_BAUDS)[number];
