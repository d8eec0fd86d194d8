import { z } from 'zod';
import { Imei } from './imei';
import { FlashStage } from './stages';
import { ProtocolTrace } from './trace';
import { SlotNumber, StationId } from './stations';

/**
 * BullMQ job catalog (style guide rule 18). Producers `parse` the payload before `add`; processors
 * `parse` on receipt and fail the job as unrecoverable when it does not match.
 * Queue names never contain `:` (BullMQ reserves it).
 */

/** Options a producer passes to `add`; a subset of BullMQ's JobsOptions so contracts need no BullMQ. */
export interface JobDefaults {
  attempts: number;
  backoff?: { type: 'exponential' | 'fixed'; delay: number };
  removeOnComplete: { count: number };
  removeOnFail: { count: number };
}

export interface JobDefinition<P extends z.ZodType, R extends z.ZodType> {
  queue: string;
  name: string;
  payload: P;
  result: R;
  defaults: JobDefaults;
}

const define = <P extends z.ZodType, R extends z.ZodType>(d: JobDefinition<P, R>) => d;

/** server → one station: flash jobs. One queue per station so each agent only sees its own. */
export const flashQueueName = (stationId: StationId): string =>
  `flash-${StationId.parse(stationId)}`;

export const FlashBaud = z.union([z.literal(115200), z.literal(460800), z.literal(921600)]);
export type FlashBaud = z.infer<typeof FlashBaud>;

export const FlashRunPayload = z.object({
  v: z.literal(1),
  attemptId: z.string().min(1),
  stationId: StationId,
  slot: SlotNumber,
  /** IMEI from the module's label, as scanned. */
  imei: Imei,
  packageId: z.string().min(1),
  /** sha256 of the package manifest, so the station refuses a package that changed under it. */
  packageSha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
  /**
   * The firmware registry's id of the package when the server stores it (an uploaded package):
   * a station that does not hold it fetches it by this id, checking every file and the digest.
   */
  registryPackageId: z.uuid().nullable().optional(),
  baud: FlashBaud,
  /** Set when this attempt retries an earlier one (e.g. at a lower baud). */
  retryOf: z.string().min(1).nullable(),
});
export type FlashRunPayload = z.infer<typeof FlashRunPayload>;

export const FlashOutcome = z.enum(['passed', 'failed', 'interrupted']);
export type FlashOutcome = z.infer<typeof FlashOutcome>;

export const FlashRunResult = z.object({
  v: z.literal(1),
  attemptId: z.string().min(1),
  outcome: FlashOutcome,
  /** MediaTek's numeric code when one applies (e.g. 2004), else null. */
  errorCode: z.number().int().nullable(),
  /** Our catalogue name, e.g. `S_BROM_DOWNLOAD_DA_FAIL`; null on pass. */
  errorName: z.string().nullable(),
  /** Last stage reached (contracts FLASH_STAGES). */
  stage: FlashStage,
  retryable: z.boolean(),
  /** Milliseconds spent per stage, keyed by stage name. */
  stageTimings: z.partialRecord(FlashStage, z.number().nonnegative()),
  baud: FlashBaud,
  bytesWritten: z.number().int().nonnegative(),
  revisionBefore: z.string().nullable(),
  revisionAfter: z.string().nullable(),
  /**
   * IMEI the module in the slot reported (after flashing when it got that far, else before), null
   * when it answered no AT. The server stores it and changes a module's record only when it is the
   * label's IMEI (a label scanned into the wrong slot must not touch the label's module).
   */
  imeiRead: z.string().nullable(),
  /** The catalogue's operator and engineer hints and the specific message (null on pass). */
  operatorHint: z.string().nullable().optional(),
  engineerHint: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
  /**
   * The exchange with the boot ROM and DA (issue #10 §3): sent with every failed attempt, and with
   * passed ones when the station is configured to (TRACE_PASSED). Absent from older stations. A
   * trace that breaks the contract (oversized, forged) is dropped, never the result it came with:
   * the record of an attempt must not be lost for its diagnostics.
   */
  trace: ProtocolTrace.optional().catch(undefined),
});
export type FlashRunResult = z.infer<typeof FlashRunResult>;

/**
 * `job.updateProgress` payload of a running `flash.run` (station → server → dashboard rooms).
 * The station sends at most 5 per second; bytes/totalBytes are within the stage (0/0 when the
 * stage has no byte count), percent likewise.
 */
/**
 * The operator must act for the flash to go on (design §5): with manual power, "power-cycle the
 * module now" while the handshake streams, until `until` (the handshake's deadline).
 */
export const PowerPrompt = z.object({
  kind: z.literal('power-cycle'),
  /** When the handshake gives up (the tile counts down to it). */
  until: z.iso.datetime(),
  /** 1 for the first prompt of an attempt, 2… when the station pulses or prompts again. */
  round: z.number().int().min(1),
});
export type PowerPrompt = z.infer<typeof PowerPrompt>;

export const FlashRunProgress = z.object({
  v: z.literal(1),
  /** Stage the flash is in (contracts FLASH_STAGES). */
  stage: FlashStage,
  percent: z.number().min(0).max(100),
  bytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** Set while the station waits for the operator (manual power); absent otherwise. */
  prompt: PowerPrompt.optional(),
});
export type FlashRunProgress = z.infer<typeof FlashRunProgress>;

/**
 * The job's data is not the payload itself but a signed message (packages/trust `signMessage`,
 * kind `job`) whose text is the payload: a station flashes only what a server signed with its key.
 */
export const FlashRunJob = define({
  queue: 'flash-<stationId>',
  name: 'flash.run',
  payload: FlashRunPayload,
  result: FlashRunResult,
  // Flashing is not idempotent from BullMQ's view: retries are decided by the server's policy
  // (design §5) and recorded as new attempts, so BullMQ itself never retries.
  defaults: { attempts: 1, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } },
});
