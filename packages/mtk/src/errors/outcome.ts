import type { FlashErrorCode } from './catalogue';

/** What the station should do next after a failure (design §5 retry and attribution policy). */
export type FailureAction =
  'reprompt-power' | 'retry-lower-baud' | 'retry' | 'fix-setup' | 'quarantine' | 'none';

function assertNever(value: never): never {
  throw new Error(`unhandled flash error code: ${String(value)}`);
}

export function failureAction(code: FlashErrorCode): FailureAction {
  switch (code) {
    case 'BROM_HANDSHAKE_TIMEOUT':
    case 'BROM_HANDSHAKE_FAIL':
    case 'DA_SYNC_FAIL':
    case 'FINISH_FAIL':
    case 'AT_NO_RESPONSE':
      return 'reprompt-power';
    case 'BAUD_CHANGE_FAIL':
    case 'DOWNLOAD_FAIL':
    case 'PROTOCOL_EXCEPTION':
      return 'retry-lower-baud';
    case 'BROM_ECHO_MISMATCH':
    case 'BROM_NO_RESPONSE':
    case 'BROM_CMD_FAIL':
    case 'CHIP_ID_READ_FAIL':
    case 'DA_DOWNLOAD_FAIL':
    case 'DA_CHECKSUM_MISMATCH':
    case 'JUMP_DA_FAIL':
    case 'DA_NO_RESPONSE':
    case 'FORMAT_FAIL':
    case 'PORT_DISCONNECTED':
    case 'PORT_OPEN_FAIL':
    case 'SERIAL_WRITE_TIMEOUT':
    case 'PACKAGE_FETCH_FAIL':
      return 'retry';
    case 'INVALID_CFG_FILE':
    case 'INVALID_IMAGE':
    case 'INVALID_DA_FILE':
    case 'PACKAGE_MISMATCH':
    case 'DA_VERSION_INCORRECT':
    case 'POWER_CONTROL_FAIL':
    case 'SET_DOWNLOAD_BLOCK_FAIL':
      return 'fix-setup';
    case 'CHIP_UNSUPPORTED':
    case 'UNKNOWN_BBCHIP':
    case 'NOR_FLASH_NOT_FOUND':
    case 'FLASH_NOT_FOUND':
    case 'SOC_CHECK_FAIL':
    case 'FLASH_ID_NOT_IN_PACKAGE':
    case 'DOWNLOAD_CHECKSUM_MISMATCH':
    case 'READBACK_FAIL':
    case 'IMEI_INVALID':
    case 'IMEI_MISMATCH':
    case 'REVISION_MISMATCH':
      return 'quarantine';
    case 'CANCELED':
      return 'none';
    default:
      return assertNever(code);
  }
}
