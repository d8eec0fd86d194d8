import { FLASH_STAGES } from '@station/contracts';

/** Stages in flash order, to compare how far two reports got. */
export const STAGE_ORDER: readonly string[] = FLASH_STAGES;
