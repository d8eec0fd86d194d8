import { z } from 'zod';
import { AttributionDecision } from './flash';
import { Imei } from './imei';
import { SlotNumber, SlotState, StationId } from './stations';

/**
 * A supervisor's word on the line's judgement (issue #9 §2): release a suspect or disabled slot,
 * disable one, release a quarantined module. Always with the reason, which the audit log keeps.
 */
export const StatusChangeRequest = z.object({
  reason: z.string().trim().min(3, 'say in a few words why (it goes into the audit log)').max(500),
});
export type StatusChangeRequest = z.infer<typeof StatusChangeRequest>;

/**
 * A slot's status changed (answer of the slot routes, and `slot:status` to the station's room):
 * the line view updates the tile without waiting for a flash result.
 */
export const SlotStatusEvent = z.object({
  v: z.literal(1),
  stationId: StationId,
  slot: SlotNumber,
  status: SlotState,
  statusReason: z.string().nullable(),
});
export type SlotStatusEvent = z.infer<typeof SlotStatusEvent>;

/** A decision as a module's history shows it: what was decided, and who released it. */
export const DecisionRecord = AttributionDecision.extend({
  id: z.string(),
  decidedAt: z.iso.datetime(),
  releasedAt: z.iso.datetime().nullable(),
  releasedBy: z.string().nullable(),
  releaseReason: z.string().nullable(),
});
export type DecisionRecord = z.infer<typeof DecisionRecord>;

export const ModuleStatusResponse = z.object({
  imei: Imei,
  status: z.string(),
  statusReason: z.string().nullable(),
});
export type ModuleStatusResponse = z.infer<typeof ModuleStatusResponse>;

/**
 * What waits for a supervisor's word (`GET /api/attribution/open`): slots out of rotation
 * (suspect by the line's judgement, or disabled by a person) and quarantined modules.
 */
export const OpenSlotDecision = z.object({
  stationId: StationId,
  slot: SlotNumber,
  /** The jig's label of the slot (`S3`). */
  slotLabel: z.string(),
  status: z.enum(['suspect', 'disabled']),
  reason: z.string().nullable(),
  /** The flash attempts the line judged from; empty for a slot a person disabled. */
  evidence: z.array(z.string()),
  /** When it was decided (suspect) or last changed (disabled). */
  since: z.iso.datetime(),
});
export type OpenSlotDecision = z.infer<typeof OpenSlotDecision>;

export const OpenModuleDecision = z.object({
  imei: Imei,
  reason: z.string().nullable(),
  evidence: z.array(z.string()),
  since: z.iso.datetime(),
});
export type OpenModuleDecision = z.infer<typeof OpenModuleDecision>;

/** Newest first in each list. */
export const OpenDecisionsResponse = z.object({
  slots: z.array(OpenSlotDecision),
  modules: z.array(OpenModuleDecision),
});
export type OpenDecisionsResponse = z.infer<typeof OpenDecisionsResponse>;
