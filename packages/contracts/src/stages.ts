import { z } from 'zod';

/**
 * The one list of flash stages, in the order a flash walks them (design §9 "one vocabulary").
 * packages/mtk keeps an identical copy (it may depend on nothing; a type test in apps/station keeps
 * the two equal), the database's `flash_stage` enum has exactly these values, and the dashboard's
 * labels are a Record over this type, so no layer maps stages onto a coarser list.
 *
 * queued      the server opened the attempt; the station has not started it yet
 * package     reading and checking the firmware package and the Download Agent
 * preflight   AT read of IMEI and revision before flashing
 * power       power-cycling the module (or asking the operator to)
 * brom        boot-ROM handshake, chip id and set-up
 * da_upload   sending the Download Agent to the module's RAM
 * da_connect  DA sync, flash detection and the DA's report
 * baud        switching the line to the flashing baud rate
 * format      erasing the flash ranges the images need
 * write       programming the images
 * verify      the DA's checksum of every image
 * readback    reading the images back byte for byte (optional)
 * fat_format  formatting the file system area (optional)
 * finish      leaving the DA and resetting the module
 * postflight  AT read after the reset: the new revision and the same IMEI
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

export const FlashStage = z.enum(FLASH_STAGES);
export type FlashStage = z.infer<typeof FlashStage>;
