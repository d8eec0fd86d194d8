/**
 * Words an operator understands for the station's stage names (packages/mtk FLASH_STAGES). The
 * dashboard may not import @station/mtk, so an unknown (newer) stage is shown as it was sent.
 */
const STAGE_LABEL: Readonly<Record<string, string>> = {
  package: 'Checking firmware',
  preflight: 'Reading module',
  power: 'Waiting for power',
  brom: 'Connecting',
  'da-upload': 'Loading agent',
  'da-connect': 'Starting agent',
  baud: 'Speeding up link',
  format: 'Erasing',
  write: 'Downloading',
  verify: 'Verifying',
  readback: 'Reading back',
  'fat-format': 'Formatting files',
  finish: 'Finishing',
  postflight: 'Checking result',
};

export const stageLabel = (stage: string): string => STAGE_LABEL[stage] ?? stage;
