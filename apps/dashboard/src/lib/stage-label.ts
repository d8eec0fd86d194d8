import type { FlashStage } from '@station/contracts';

/**
 * Words an operator understands for each flash stage. A Record over the contract's FlashStage: a
 * stage added to FLASH_STAGES fails the dashboard's typecheck until it has its words here, so no
 * raw stage name ever reaches a tile.
 */
const STAGE_LABEL: Readonly<Record<FlashStage, string>> = {
  queued: 'Waiting for the station',
  package: 'Checking firmware',
  preflight: 'Reading module',
  power: 'Waiting for power',
  brom: 'Connecting',
  da_upload: 'Loading agent',
  da_connect: 'Starting agent',
  baud: 'Speeding up link',
  format: 'Erasing',
  write: 'Downloading',
  verify: 'Verifying',
  readback: 'Reading back',
  fat_format: 'Formatting files',
  finish: 'Finishing',
  postflight: 'Checking result',
};

export const stageLabel = (stage: FlashStage): string => STAGE_LABEL[stage];
