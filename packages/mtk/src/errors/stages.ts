/**
 * The flash stages in the order a flash walks them: every progress event and every error names
 * one. This is a copy of packages/contracts' FLASH_STAGES (mtk depends on nothing);
 * apps/station/src/stages.test.ts keeps the two equal, by type and by value.
 *
 * 'queued' belongs to the attempt, not to the protocol: the job waits there for its slot, and no
 * code in this package ever enters it.
 */
export const FLASH_STAGES = [
  'queued',
  'package',
  'preflight',
  'power',
  'brom',
  'da_upload',
  'da_connect',
  'baud',
  'format',
  'write',
  'verify',
  'readback',
  'fat_format',
  'finish',
  'postflight',
] as const;

export type FlashStage = (typeof FLASH_STAGES)[number];
