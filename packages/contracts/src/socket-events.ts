import { z } from 'zod';
import type { AlertChangedEvent } from './alerts';
import type { SlotStatusEvent } from './attribution';
import type { FlashProgressBatch, FlashResultEvent } from './flash';
import type { StationWatchReply, StationWatchRequest } from './line';
import { StationStatus } from './stations';

/** Room every dashboard socket joins on connect; `station:update` goes there. */
export const STATIONS_ROOM = 'stations';

export const StationUpdateEvent = z.object({ v: z.literal(1), station: StationStatus });
export type StationUpdateEvent = z.infer<typeof StationUpdateEvent>;

export const StationsSnapshotRequest = z.object({ v: z.literal(1) });
export type StationsSnapshotRequest = z.infer<typeof StationsSnapshotRequest>;

export const StationsSnapshot = z.object({ v: z.literal(1), stations: z.array(StationStatus) });
export type StationsSnapshot = z.infer<typeof StationsSnapshot>;

/** The ack of an event the server refuses (a malformed request, too many events): one sentence. */
export const SocketRefusal = z.object({ v: z.literal(1), ok: z.literal(false), error: z.string() });
export type SocketRefusal = z.infer<typeof SocketRefusal>;

/** Events the server emits. Every payload carries `v` so old dashboards can ignore new shapes. */
export interface ServerToClientEvents {
  'station:update': (event: StationUpdateEvent) => void;
  /** To the station's room: running attempts' stages and percents, one event per station batch. */
  'flash:progress': (batch: FlashProgressBatch) => void;
  /** To the station's room: an attempt's outcome, only after it is stored in Postgres. */
  'flash:result': (event: FlashResultEvent) => void;
  /** To the station's room: a slot turned suspect, or a supervisor released or disabled it. */
  'slot:status': (event: SlotStatusEvent) => void;
  /** To supervisors and up (ALERTS_ROOM): an alert fired or cleared, or the state changed. */
  'alert:changed': (event: AlertChangedEvent) => void;
}

/** Events a dashboard may emit. */
export interface ClientToServerEvents {
  /** Ask for every known station now (answers through the ack); updates follow as events. */
  'stations:snapshot': (
    request: StationsSnapshotRequest,
    ack: (snapshot: StationsSnapshot | SocketRefusal) => void,
  ) => void;
  /** Join a station's room (its flash events); the ack is its line state, read after joining. */
  'station:watch': (request: StationWatchRequest, ack: (reply: StationWatchReply) => void) => void;
}
