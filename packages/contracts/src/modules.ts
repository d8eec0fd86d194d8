// A module's history (`GET /api/modules/:imei`): the server answers with it, the dashboard's
// module timeline reads it (issue #10 §5).
import { z } from 'zod';
import { DecisionRecord } from './attribution';
import { Imei } from './imei';
import { FlashOutcome } from './jobs';

/** One attempt on the module, as its history lists it. */
export const ModuleHistoryAttempt = z.object({
  id: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  outcome: z.union([FlashOutcome, z.enum(['running', 'canceled'])]),
  stationId: z.string(),
  slot: z.number().int(),
  packageId: z.string(),
  packageRevision: z.string(),
  stageReached: z.string(),
  errorCode: z.number().int().nullable(),
  errorName: z.string().nullable(),
  errorMessage: z.string().nullable(),
  stageTimings: z.record(z.string(), z.number()).nullable(),
  baud: z.number().int().nullable(),
  bytesWritten: z.number().int().nullable(),
  revisionBefore: z.string().nullable(),
  revisionAfter: z.string().nullable(),
  reportedImei: z.string().nullable(),
  /** The attempt this one retried (a retry chain). */
  retryOfId: z.string().nullable(),
});
export type ModuleHistoryAttempt = z.infer<typeof ModuleHistoryAttempt>;

export const ModuleHistoryResponse = z.object({
  imei: Imei,
  status: z.string(),
  currentRevision: z.string().nullable(),
  statusReason: z.string().nullable(),
  /** Newest first. */
  attempts: z.array(ModuleHistoryAttempt),
  /** Quarantine decisions about it, newest first, with their evidence and release. */
  decisions: z.array(DecisionRecord),
});
export type ModuleHistoryResponse = z.infer<typeof ModuleHistoryResponse>;
