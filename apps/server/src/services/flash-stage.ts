import type { FlashStage } from '@station/db';

/** The station's stage names (packages/mtk FLASH_STAGES) → the db's flash_stage enum. */
const STAGES: Record<string, FlashStage> = {
  package: 'queued',
  preflight: 'preflight',
  power: 'power_cycle',
  brom: 'handshake',
  'da-upload': 'da_upload',
  'da-connect': 'flash_detect',
  baud: 'baud_switch',
  format: 'format',
  write: 'write',
  verify: 'verify',
  readback: 'verify',
  'fat-format': 'format',
  finish: 'reset',
  postflight: 'postflight',
};

/** An unknown stage name (a newer station) is stored as `queued` rather than refused. */
export const dbStage = (stage: string): FlashStage => STAGES[stage] ?? 'queued';
