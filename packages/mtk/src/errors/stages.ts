/** Named steps of one flash, in order. Every progress event and every error names one. */
export const FLASH_STAGES = [
  'package',
  'preflight',
  'power',
  'brom',
  'da-upload',
  'da-connect',
  'baud',
  'format',
  'write',
  'verify',
  'readback',
  'fat-format',
  'finish',
  'postflight',
] as const;

export type FlashStage = (typeof FLASH_STAGES)[number];
