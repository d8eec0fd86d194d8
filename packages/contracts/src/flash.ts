import { z } from 'zod';
import { Imei } from './imei';
import { FlashBaud, FlashOutcome } from './jobs';
import { FlashStage } from './stages';
import { SlotNumber, StationId } from './stations';

/**
 * The operator's flash: a scan at a slot becomes `POST /api/flash-jobs`; the server records an
 * attempt, routes a `flash.run` job to the station, and reports progress and the stored result
 * over socket.io. A result event is only ever emitted after the attempt is committed to Postgres.
 */

/** `POST /api/flash-jobs` */
export const CreateFlashJobRequest = z.object({
  stationId: StationId,
  slot: SlotNumber,
  /** IMEI from the module's label, as scanned (15 digits with a valid check digit). */
  imei: Imei,
  /** A package the station announced; defaults to the station's only/newest package. */
  packageId: z.string().min(1).optional(),
  baud: FlashBaud.optional(),
});
export type CreateFlashJobRequest = z.infer<typeof CreateFlashJobRequest>;

export const CreateFlashJobResponse = z.object({
  attemptId: z.string().min(1),
  stationId: StationId,
  slot: SlotNumber,
  imei: Imei,
  packageId: z.string().min(1),
});
export type CreateFlashJobResponse = z.infer<typeof CreateFlashJobResponse>;

/** Throttled progress of a running attempt (server → dashboard). */
export const FlashProgressEvent = z.object({
  v: z.literal(1),
  attemptId: z.string().min(1),
  stationId: StationId,
  slot: SlotNumber,
  imei: Imei,
  stage: FlashStage,
  percent: z.number().min(0).max(100),
});
export type FlashProgressEvent = z.infer<typeof FlashProgressEvent>;

/** The stored outcome of an attempt (server → dashboard), emitted after the Postgres commit. */
export const FlashResultEvent = z.object({
  v: z.literal(1),
  attemptId: z.string().min(1),
  stationId: StationId,
  slot: SlotNumber,
  imei: Imei,
  outcome: FlashOutcome,
  /** MediaTek's or the product's numeric code and name, null on pass. */
  errorCode: z.number().int().nullable(),
  errorName: z.string().nullable(),
  stage: FlashStage,
  /** IMEI the module in the slot reported; differs from `imei` (the label) on a mix-up. */
  reportedImei: z.string().nullable(),
  /** One line for the operator ("re-seat the module and retry"), null on pass. */
  operatorHint: z.string().nullable(),
  revisionBefore: z.string().nullable(),
  revisionAfter: z.string().nullable(),
  durationMs: z.number().int().nonnegative(),
  endedAt: z.iso.datetime(),
});
export type FlashResultEvent = z.infer<typeof FlashResultEvent>;
