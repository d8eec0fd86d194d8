import { z } from 'zod';
import { FlashResultEvent } from './flash';
import { Imei } from './imei';
import { FlashStage } from './stages';
import { SlotNumber, SlotState, StationId, StationStatus } from './stations';

/**
 * One line state for every screen (design §9): what each slot is doing now and how its last
 * attempt ended, read from the record, so a reload or a second screen shows what the first shows.
 */

/** The slot's open attempt. `percent` is the latest progress within `stage`, null before any. */
export const SlotCurrentAttempt = z.object({
  attemptId: z.string().min(1),
  imei: Imei,
  stage: FlashStage,
  percent: z.number().min(0).max(100).nullable(),
  startedAt: z.iso.datetime(),
});
export type SlotCurrentAttempt = z.infer<typeof SlotCurrentAttempt>;

export const SlotLine = z.object({
  slot: SlotNumber,
  /** Whether the slot takes scans now; absent from servers older than issue #9. */
  status: SlotState.optional(),
  /** Why it is not active (the decision's sentence, or the missing adapter), null when active. */
  statusReason: z.string().nullable().optional(),
  current: SlotCurrentAttempt.nullable(),
  /** The slot's most recent finished attempt, as its `flash:result` said it. */
  last: FlashResultEvent.nullable(),
});
export type SlotLine = z.infer<typeof SlotLine>;

/** `GET /api/stations/:stationId`, and the ack of `station:watch`. */
export const StationDetail = StationStatus.extend({ line: z.array(SlotLine) });
export type StationDetail = z.infer<typeof StationDetail>;

/** Socket.io room of one station: its `flash:progress` and `flash:result` events go there. */
export const stationRoom = (stationId: StationId): string => `station:${stationId}`;

/** A dashboard asks to follow a station's flashes; the ack is the station's line state. */
export const StationWatchRequest = z.object({ v: z.literal(1), stationId: StationId });
export type StationWatchRequest = z.infer<typeof StationWatchRequest>;

export const StationWatchReply = z.union([
  z.object({ v: z.literal(1), ok: z.literal(true), station: StationDetail }),
  z.object({ v: z.literal(1), ok: z.literal(false), error: z.string() }),
]);
export type StationWatchReply = z.infer<typeof StationWatchReply>;
