import type { FlashErrorCode } from '../errors/catalogue';
import { FlashError } from '../errors/flash-error';

type PackageErrorCode = Extract<
  FlashErrorCode,
  'INVALID_CFG_FILE' | 'INVALID_IMAGE' | 'INVALID_DA_FILE'
>;

export function packageError(code: PackageErrorCode, message: string): FlashError {
  return new FlashError(code, message, { stage: 'package' });
}
