import type { FlashStage } from './stages';

/**
 * Who a failure is held against (issue #9 §2): the module; the jig's slot (adapter, cable, power);
 * `line`: either, the bytes went wrong on the wire (bit errors, echo mismatch, baud switch);
 * `setup`: the line's configuration (Download Agent, package, port), never a module's fault;
 * `none`: nobody (a wrong label, a cancel).
 */
export type FaultBlame = 'module' | 'jig' | 'line' | 'setup' | 'none';

/**
 * How a failure may be retried as a new attempt: `power` (power-cycle and try again at the same
 * baud), `baud` (the next lower baud), `never` (a person decides; verify and read-back mismatches
 * are never retried silently).
 */
export type RetryKind = 'power' | 'baud' | 'never';

export interface CatalogueEntry {
  /** MediaTek STATUS_E code (mtk_status.h) where one applies; the product's own 9xxx otherwise. */
  code: number;
  /** MediaTek's name (S_…) or the product's own (FS_…). */
  name: string;
  /** Stage where this failure normally happens (the error itself records the actual stage). */
  stage: FlashStage;
  /** Whether trying again (same module, maybe lower baud or after a power cycle) can help. */
  retryable: boolean;
  /** Who a final failure of this kind is held against (attribution, docs/station.md). */
  blame: FaultBlame;
  /** What the server's retry policy does with it (docs/station.md "Retries"). */
  retry: RetryKind;
  operatorHint: string;
  engineerHint: string;
}

const WIRING =
  'Check TXD/RXD crossing, common ground and logic levels (MC60 UART is 2.8 V: a 3.3 V adapter needs a working divider/level shifter on the module RXD).';

/** Every way a flash can fail, keyed by a stable string code. */
export const FLASH_ERRORS = {
  BROM_HANDSHAKE_TIMEOUT: {
    code: 2006,
    name: 'S_BROM_CMD_STARTCMD_TIMEOUT',
    stage: 'brom',
    retryable: true,
    blame: 'jig',
    retry: 'power',
    operatorHint: 'No answer from the module: power-cycle it when asked, check it is seated.',
    engineerHint: `The boot ROM never answered A0 with 5F. The module was not power-cycled while the host streamed A0 (PWRKEY held, VBAT always on), the port is wrong, or TX/RX are swapped. ${WIRING}`,
  },
  BROM_HANDSHAKE_FAIL: {
    code: 2005,
    name: 'S_BROM_CMD_STARTCMD_FAIL',
    stage: 'brom',
    retryable: true,
    blame: 'line',
    retry: 'power',
    operatorHint: 'Start sequence garbled: power-cycle the module and try again.',
    engineerHint:
      'The boot ROM answered the start sequence (A0 0A 50 05) with wrong bytes. MediaTek: "possibly target power up too early"; also line noise or a level problem on RXD.',
  },
  BROM_ECHO_MISMATCH: {
    code: 9101,
    name: 'FS_BROM_ECHO_MISMATCH',
    stage: 'brom',
    retryable: true,
    blame: 'line',
    retry: 'baud',
    operatorHint: 'Communication error: re-seat the module and retry.',
    engineerHint: `A boot ROM command was not echoed byte-for-byte: bit errors on the line. ${WIRING}`,
  },
  BROM_NO_RESPONSE: {
    code: 9102,
    name: 'FS_BROM_NO_RESPONSE',
    stage: 'brom',
    retryable: true,
    blame: 'jig',
    retry: 'power',
    operatorHint: 'Module stopped answering: check power and re-seat.',
    engineerHint:
      'A boot ROM command got no (or a short) answer after a good handshake: brown-out, VBAT dip, or the line dropped.',
  },
  BROM_CMD_FAIL: {
    code: 9103,
    name: 'FS_BROM_CMD_STATUS',
    stage: 'brom',
    retryable: true,
    blame: 'line',
    retry: 'power',
    operatorHint: 'Module rejected a set-up step: retry once, then move to another slot.',
    engineerHint:
      'A BROM register write/read returned an unexpected status word (WRITE16/32 must answer 0x0001, READ32 0x0000).',
  },
  CHIP_ID_READ_FAIL: {
    code: 2023,
    name: 'S_BROM_FAIL_TO_GET_BBCHIP_HW_VER',
    stage: 'brom',
    retryable: true,
    blame: 'line',
    retry: 'power',
    operatorHint: 'Could not identify the module chip: retry.',
    engineerHint: 'Reading the hw code (0x80000008) or the e-fuse (0xA01C0108) failed.',
  },
  CHIP_UNSUPPORTED: {
    code: 9104,
    name: 'FS_CHIP_NOT_FOR_PACKAGE',
    stage: 'brom',
    retryable: false,
    blame: 'module',
    retry: 'never',
    operatorHint: 'Wrong module type for this firmware: put in quarantine tray.',
    engineerHint:
      'The hw code / e-fuse family does not match the package platform (MC60 is MT2503, hw code 0x6261). An MT6260 reads 0x6260.',
  },
  DA_DOWNLOAD_FAIL: {
    code: 2004,
    name: 'S_BROM_DOWNLOAD_DA_FAIL',
    stage: 'da_upload',
    retryable: true,
    blame: 'line',
    retry: 'power',
    operatorHint: 'Download agent failed to load: check the cable, re-seat, retry.',
    engineerHint:
      'SEND_DA was not accepted (no status, bad status, or no checksum). Cable/communication problem between tool and BROM, or the target lost power (watch VBAT during the ~11 s upload).',
  },
  DA_CHECKSUM_MISMATCH: {
    code: 2021,
    name: 'S_BROM_CHKSUM16_MEM_RESULT_DIFF',
    stage: 'da_upload',
    retryable: true,
    blame: 'line',
    retry: 'power',
    operatorHint: 'Download agent corrupted on the way: retry; if it repeats, check the cable.',
    engineerHint:
      'The BROM XOR16 checksum of the received DA differs from the file: bit errors at 115200, or a bad PSRAM/SRAM.',
  },
  JUMP_DA_FAIL: {
    code: 2034,
    name: 'S_BROM_CMD_JUMP_DA_FAIL',
    stage: 'da_upload',
    retryable: true,
    blame: 'line',
    retry: 'power',
    operatorHint: 'Download agent did not start: retry.',
    engineerHint: 'JUMP_DA (D5) was not accepted with status 0.',
  },
  DA_SYNC_FAIL: {
    code: 4004,
    name: 'S_FT_DA_INIT_SYNC_ERROR',
    stage: 'da_connect',
    retryable: true,
    blame: 'module',
    retry: 'power',
    operatorHint: 'Download agent did not answer: power-cycle and retry.',
    engineerHint:
      'No C0 sync from the DA after JUMP_DA: the DA crashed (dead PSRAM, wrong DA file for the chip) or the module reset.',
  },
  DA_VERSION_INCORRECT: {
    code: 4003,
    name: 'S_FT_DA_VERSION_INCORRECT',
    stage: 'da_connect',
    retryable: false,
    blame: 'setup',
    retry: 'never',
    operatorHint: 'Wrong download agent file: call an engineer.',
    engineerHint:
      'The DA reported a version other than 3.2; use the MT6261 DA from the QFlash installation.',
  },
  UNKNOWN_BBCHIP: {
    code: 1016,
    name: 'S_UNKNOWN_TARGET_BBCHIP',
    stage: 'da_connect',
    retryable: false,
    blame: 'module',
    retry: 'never',
    operatorHint: 'Unknown module chip: put in quarantine tray.',
    engineerHint: 'The DA reported a BB chip byte other than 0x8E (MT6261 family).',
  },
  DA_NO_RESPONSE: {
    code: 4001,
    name: 'S_FT_DA_NO_RESPONSE',
    stage: 'da_connect',
    retryable: true,
    blame: 'line',
    retry: 'power',
    operatorHint: 'Module stopped answering: re-seat and retry.',
    engineerHint:
      'The DA did not answer a command (config burst, flash table, report, MEM…) in time.',
  },
  NOR_FLASH_NOT_FOUND: {
    code: 3011,
    name: 'S_DA_NOR_FLASH_NOT_FOUND',
    stage: 'da_connect',
    retryable: false,
    blame: 'module',
    retry: 'never',
    operatorHint: 'Module flash not recognised: put in quarantine tray.',
    engineerHint:
      "No record of the DA file's NOR/SF flash table matched the module's JEDEC id: use a newer DA, or the flash is dead.",
  },
  FLASH_NOT_FOUND: {
    code: 3141,
    name: 'S_DA_FLASH_NOT_FOUND',
    stage: 'da_connect',
    retryable: false,
    blame: 'module',
    retry: 'never',
    operatorHint: 'Module flash not detected: put in quarantine tray.',
    engineerHint: 'The DA hardware report shows no NOR flash (NOR return code ≠ 0).',
  },
  SOC_CHECK_FAIL: {
    code: 9201,
    name: 'FS_DA_SOC_CHECK_FAIL',
    stage: 'da_connect',
    retryable: false,
    blame: 'module',
    retry: 'never',
    operatorHint: 'Module failed its self check: put in quarantine tray.',
    engineerHint: 'The DA hardware report did not end with 5A 5A … C1 (SOC_OK).',
  },
  FLASH_ID_NOT_IN_PACKAGE: {
    code: 9202,
    name: 'FS_FLASH_ID_NOT_IN_PACKAGE',
    stage: 'da_connect',
    retryable: false,
    blame: 'setup',
    retry: 'never',
    operatorHint: 'Firmware does not support this module variant: set aside, call an engineer.',
    engineerHint:
      "The flash JEDEC id is not in the package's external_memory flash_info list (FlashTool: 5096, MAUI flash ID not matched with cfg). Check the module supports this firmware version.",
  },
  BAUD_CHANGE_FAIL: {
    code: 4006,
    name: 'S_FT_CHANGE_BAUDRATE_FAIL',
    stage: 'baud',
    retryable: true,
    blame: 'line',
    retry: 'baud',
    operatorHint: 'Line too noisy for full speed: retrying at a lower speed.',
    engineerHint: `The DA baud switch (D2, C0 sync, 256-byte loopback) failed: the line cannot carry this baud (cable length, adapter, level shifter edges). Retry at 460800 then 115200. ${WIRING}`,
  },
  SET_DOWNLOAD_BLOCK_FAIL: {
    code: 4007,
    name: 'S_FT_SET_DOWNLOAD_BLOCK_FAIL',
    stage: 'format',
    retryable: false,
    blame: 'setup',
    retry: 'never',
    operatorHint: 'Firmware does not fit this module: call an engineer.',
    engineerHint:
      'The DA refused the MEM declaration (e.g. 3039 S_DA_INVALID_RANGE: an image lies outside the flash). Check the GFH load addresses against the 4 MiB flash.',
  },
  FORMAT_FAIL: {
    code: 4011,
    name: 'S_FT_FORMAT_FAIL',
    stage: 'format',
    retryable: true,
    blame: 'module',
    retry: 'power',
    operatorHint: 'Erasing the module failed: retry once, then quarantine.',
    engineerHint:
      'Pre-format (erase) progress or FAT format reported an error or stopped: weak flash, brown-out during erase.',
  },
  DOWNLOAD_FAIL: {
    code: 4008,
    name: 'S_FT_DOWNLOAD_FAIL',
    stage: 'write',
    retryable: true,
    blame: 'line',
    retry: 'baud',
    operatorHint: 'Writing firmware failed: re-seat, retry; if it repeats, quarantine.',
    engineerHint: `A WRITE packet was refused after 3 retransmissions, or the DA stopped answering mid-write. Persistent NACK at one address = bad flash sector; random NACKs = line noise (lower the baud). ${WIRING}`,
  },
  DOWNLOAD_CHECKSUM_MISMATCH: {
    code: 4009,
    name: 'S_FT_DOWNLOAD_CHKSUM_MISMATCH',
    stage: 'verify',
    retryable: false,
    blame: 'module',
    retry: 'never',
    operatorHint: 'Firmware check failed after writing: put in quarantine tray.',
    engineerHint:
      'The whole-image sum16 read back from flash differs from the file: flash cells not programming correctly. Never retried silently.',
  },
  READBACK_FAIL: {
    code: 4010,
    name: 'S_FT_READBACK_FAIL',
    stage: 'readback',
    retryable: false,
    blame: 'module',
    retry: 'never',
    operatorHint: 'Read-back check failed: put in quarantine tray.',
    engineerHint: 'DA READ (D6) failed or the bytes read back differ from the image.',
  },
  FINISH_FAIL: {
    code: 4012,
    name: 'S_FT_FINISH_CMD_FAIL',
    stage: 'finish',
    retryable: true,
    blame: 'line',
    retry: 'power',
    operatorHint: 'Module did not restart: power-cycle it.',
    engineerHint:
      'FINISH / watchdog reset was not acknowledged; the firmware is written, the module may still be in the DA.',
  },
  PROTOCOL_EXCEPTION: {
    code: 4062,
    name: 'S_FT_PROTOCOL_EXCEPTION',
    stage: 'write',
    retryable: true,
    blame: 'line',
    retry: 'baud',
    operatorHint: 'Unexpected answer from the module: retry.',
    engineerHint:
      'The device sent a byte the protocol does not allow at this point (see the error message for the bytes).',
  },
  INVALID_CFG_FILE: {
    code: 4073,
    name: 'S_FT_INVALID_CFG_FILE',
    stage: 'package',
    retryable: false,
    blame: 'setup',
    retry: 'never',
    operatorHint: 'Firmware package is broken: call an engineer.',
    engineerHint:
      'The .cfg is not a readable QFlash YAML package (main_region.rom file list, external_memory flash_info; a blank general.platform is fine when the ROM names its chip).',
  },
  INVALID_IMAGE: {
    code: 9301,
    name: 'FS_INVALID_IMAGE',
    stage: 'package',
    retryable: false,
    blame: 'setup',
    retry: 'never',
    operatorHint: 'Firmware package is broken: call an engineer.',
    engineerHint:
      'An image named by the .cfg is missing, truncated, or its GFH FILE_INFO header is invalid or disagrees with the file (QFlash: "Error ROM i, 0x10000000").',
  },
  PACKAGE_MISMATCH: {
    code: 9302,
    name: 'FS_PACKAGE_MISMATCH',
    stage: 'package',
    retryable: false,
    blame: 'setup',
    retry: 'never',
    operatorHint: 'Package on the station differs from the one ordered: call an engineer.',
    engineerHint:
      "The sha256 manifest digest of the station's package folder differs from the job's packageSha256 (files changed, or a different package under the same id).",
  },
  PACKAGE_FETCH_FAIL: {
    code: 9303,
    name: 'FS_PACKAGE_FETCH_FAIL',
    stage: 'package',
    retryable: true,
    blame: 'setup',
    retry: 'never',
    operatorHint:
      'The station could not get the firmware from the server: scan again; if it repeats, call an engineer.',
    engineerHint:
      "The station does not hold the job's package and fetching it from the registry failed: server unreachable (SERVER_URL), the station's signed request refused (credential, clock more than 5 min off), the package not stored, or a file whose sha256 or the package digest differs.",
  },
  INVALID_DA_FILE: {
    code: 5002,
    name: 'S_INVALID_DA_FILE',
    stage: 'package',
    retryable: false,
    blame: 'setup',
    retry: 'never',
    operatorHint: 'Download agent file is wrong: call an engineer.',
    engineerHint:
      'The DA file is neither a raw mt6261_da.bin, an MTK_AllInOne_DA.bin with an MT6261 entry nor a folder with INT_SYSRAM, EXT_RAM and NOR_FLASH_TABLE, or it is truncated or damaged: replace it with a good copy (docs/protocol.md lists known digests).',
  },
  PORT_OPEN_FAIL: {
    code: 1011,
    name: 'S_COM_PORT_OPEN_FAIL',
    stage: 'preflight',
    retryable: true,
    blame: 'setup',
    retry: 'never',
    operatorHint: 'Serial adapter not available: check the USB cable.',
    engineerHint: 'The serial port could not be opened (absent, busy, permissions).',
  },
  PORT_DISCONNECTED: {
    code: 9001,
    name: 'FS_PORT_DISCONNECTED',
    stage: 'write',
    retryable: true,
    blame: 'jig',
    retry: 'never',
    operatorHint: 'Adapter unplugged: plug it back in and retry.',
    engineerHint: 'The serial port closed under the flash (USB adapter unplugged or reset).',
  },
  SERIAL_WRITE_TIMEOUT: {
    code: 9004,
    name: 'FS_SERIAL_WRITE_TIMEOUT',
    stage: 'write',
    retryable: true,
    blame: 'jig',
    retry: 'never',
    operatorHint:
      'The serial adapter stopped sending: unplug and replug its USB cable, then flash again.',
    engineerHint:
      'A write to the serial port, its drain, or a line setting (baud) did not finish within its deadline (the bytes at the line rate, plus what the OS and adapter may buffer, plus a margin). The adapter or its driver stalled: hardware flow control holding the line, a hung USB-serial driver, or an output buffer nothing empties. The flash fails here instead of hanging; if it repeats on one slot, replace that adapter.',
  },
  CANCELED: {
    code: 9002,
    name: 'FS_CANCELED',
    stage: 'write',
    retryable: true,
    blame: 'none',
    retry: 'never',
    operatorHint: 'Flash cancelled.',
    engineerHint: 'The flash was cancelled through its AbortSignal.',
  },
  POWER_CONTROL_FAIL: {
    code: 9003,
    name: 'FS_POWER_CONTROL_FAIL',
    stage: 'power',
    retryable: true,
    blame: 'jig',
    retry: 'never',
    operatorHint: 'Could not power-cycle the module: check the power control wiring.',
    engineerHint: 'The power-cycle callback (DTR/RTS line or emulator channel) failed.',
  },
  AT_NO_RESPONSE: {
    code: 9401,
    name: 'FS_AT_NO_RESPONSE',
    stage: 'postflight',
    retryable: true,
    blame: 'line',
    retry: 'power',
    operatorHint: 'Module does not start after flashing: power-cycle and identify again.',
    engineerHint:
      'No OK to AT at 115200 after reset: the firmware does not boot (wrong package for the hardware?) or the module is off.',
  },
  IMEI_INVALID: {
    code: 9402,
    name: 'FS_IMEI_INVALID',
    stage: 'postflight',
    retryable: false,
    blame: 'module',
    retry: 'never',
    operatorHint: 'Module IMEI is invalid: put in quarantine tray.',
    engineerHint:
      'AT+GSN returned no 15-digit IMEI or its Luhn check digit is wrong (NVRAM damaged?).',
  },
  IMEI_MISMATCH: {
    code: 9403,
    name: 'FS_IMEI_MISMATCH',
    stage: 'postflight',
    retryable: false,
    blame: 'none',
    retry: 'never',
    operatorHint: 'Module IMEI differs from its label: put in quarantine tray.',
    engineerHint:
      'The IMEI read over AT differs from the expected one (label scan or preflight read).',
  },
  REVISION_MISMATCH: {
    code: 9404,
    name: 'FS_REVISION_MISMATCH',
    stage: 'postflight',
    retryable: false,
    blame: 'module',
    retry: 'never',
    operatorHint: 'Module runs the wrong firmware after flashing: put in quarantine tray.',
    engineerHint: "ATI revision after flashing differs from the package's ROM revision.",
  },
} as const satisfies Record<string, CatalogueEntry>;

export type FlashErrorCode = keyof typeof FLASH_ERRORS;

export function catalogueEntry(code: FlashErrorCode): CatalogueEntry {
  return FLASH_ERRORS[code];
}
