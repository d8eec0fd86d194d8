import { z } from 'zod';
import { Imei } from './imei';
import { LABEL_MAX_LENGTH } from './labels';
import { FlashBaud, FlashOutcome, PowerPrompt } from './jobs';
import { FlashStage } from './stages';
import { SlotNumber, StationId } from './stations';

/**
 * The operator's flash: a scan at a slot becomes `POST /api/flash-jobs`; the server records an
 * attempt, routes a `flash.run` job to the station, and reports progress and the stored result
 * over socket.io. A result event is only ever emitted after the attempt is committed to Postgres.
 */

/** `POST /api/flash-jobs`: exactly one of `label` (as scanned) and `imei`. */
export const CreateFlashJobRequest = z
  .object({
    stationId: StationId,
    slot: SlotNumber,
    /** The module's label as the scanner typed it; the server reads the IMEI from it (labels.ts). */
    label: z.string().max(LABEL_MAX_LENGTH).optional(),
    /** A bare IMEI (15 digits with a valid check digit), for scripts. */
    imei: Imei.optional(),
    /** A package the station announced; defaults to the station's only/newest package. */
    packageId: z.string().min(1).optional(),
    baud: FlashBaud.optional(),
    /** Flash a module that already passed with this package again: supervisors and up, audited. */
    rework: z.boolean().optional(),
  })
  .refine((request) => (request.label === undefined) !== (request.imei === undefined), {
    message: 'send exactly one of label (as scanned) and imei',
    path: ['label'],
  });
export type CreateFlashJobRequest = z.infer<typeof CreateFlashJobRequest>;

export const CreateFlashJobResponse = z.object({
  attemptId: z.string().min(1),
  stationId: StationId,
  slot: SlotNumber,
  imei: Imei,
  packageId: z.string().min(1),
  /** The label format the IMEI was read with; null for a bare `imei`. */
  labelFormat: z.string().nullable().optional(),
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
  /** The operator must act now (manual power): the tile shows it with a countdown. */
  prompt: PowerPrompt.optional(),
});
export type FlashProgressEvent = z.infer<typeof FlashProgressEvent>;

/**
 * Most progress items one message carries: a station's batch (results.ts) and the dashboard event
 * made from it. A full 128-slot jig batches at most a few per slot.
 */
export const PROGRESS_BATCH_MAX = 512;

/**
 * `flash:progress` (server → the station's room): the progress of one station's batch, in the
 * order the station sent it. One event per batch, not per slot: at 128 slots an event per item was
 * 640 socket frames a second to every watching screen and as many Redis publishes (docs/speed-work.md
 * §23). `v: 2`: a dashboard built for the single events of `v: 1` ignores it and says so.
 */
export const FlashProgressBatch = z.object({
  v: z.literal(2),
  stationId: StationId,
  events: z.array(FlashProgressEvent).min(1).max(PROGRESS_BATCH_MAX),
});
export type FlashProgressBatch = z.infer<typeof FlashProgressBatch>;

/**
 * The retry the server's policy started for a failed attempt (design §5): a new attempt linked to
 * this one by `retryOfId`. `power`: the handshake timed out, power again (the prompt, or a pulse);
 * `baud`: line errors, the next lower baud.
 */
export const RetryPlan = z.object({
  attemptId: z.string().min(1),
  baud: FlashBaud,
  reason: z.enum(['power', 'baud']),
});
export type RetryPlan = z.infer<typeof RetryPlan>;

/** A judgement the line made from the record, with the attempts that are its evidence. */
export const AttributionDecision = z.object({
  kind: z.enum(['module.quarantined', 'slot.suspect']),
  /** The IMEI (module) or `<stationId>/<slot>` (slot) it is about. */
  subject: z.string().min(1),
  /** One plain sentence, shown on the tile and in the module's history. */
  reason: z.string().min(1),
  evidence: z.array(z.string().min(1)),
});
export type AttributionDecision = z.infer<typeof AttributionDecision>;

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
  /** The attempt this one retried (first-pass yield counts only attempts without one). */
  retryOfId: z.string().min(1).nullable().optional(),
  /** Set when the policy retries this failure: the tile shows "retrying…" instead of FAIL. */
  retry: RetryPlan.nullable().optional(),
  /** Quarantine or suspect-slot decisions this result triggered. */
  decisions: z.array(AttributionDecision).optional(),
});
export type FlashResultEvent = z.infer<typeof FlashResultEvent>;
