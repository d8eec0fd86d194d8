/** DA response bytes (DOWNLOAD.H). */
export const ACK = 0x5a;
export const NACK = 0xa5;
export const CONT = 0x69;
export const SYNC = 0xc0;
export const SOC_OK = 0xc1;
export const FLUSH_CONT = 0xe1;
export const FLUSH_DONE = 0xe2;

export const DA_CMD = {
  /** Boot-loader and CBR commands of MediaTek's full flow (DOWNLOAD.H; reference §2.6). */
  DOWNLOAD_BLOADER: 0x51,
  GET_CBR_SETTING: 0x52,
  CREATE_CBR: 0x53,
  FORMAT_HB: 0x55,
  FORMAT_CBR: 0x56,
  ERASE_MAUI_INFO: 0x5b,
  FORMAT: 0xd4,
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

/** `FORMAT_HB` / boot-loader flash device: serial (SF) NOR; 0x09 would be SPI-NAND. */
export const FLASH_DEV_SF = 0x07;
/** S_DA_CBR_NOT_FOUND: GET_CBR_SETTING on a flash that holds no CBR yet (first download). */
export const S_DA_CBR_NOT_FOUND = 3152;
/** S_DA_IN_PROGRESS: a FORMAT / FORMAT_FAT progress report that is not the last one. */
export const S_DA_IN_PROGRESS = 3021;

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
