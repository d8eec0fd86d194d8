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
