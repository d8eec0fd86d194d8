import { z } from 'zod';
import { Imei } from './imei';
import { PROGRESS_BATCH_MAX } from './flash';
import { FlashRunProgress, FlashRunResult } from './jobs';
import { SlotNumber, StationId, StationRegistration, StationUnregistration } from './stations';

/**
 * How a station's results reach the record (design §9). A result is a message on the station's
 * own Redis stream, read by the servers through one consumer group: the server that reads it
 * commits it to Postgres (idempotent by attempt id), then acknowledges it (XACK) and marks it
 * confirmed in the station's `confirmed` hash. The station keeps every result in its fsync'd
 * journal until it sees that confirmation, and publishes again whatever is unconfirmed after a
 * reconnect or when Redis lost its data, so neither a server that is down nor an empty Redis
 * loses a result. Progress travels on a second, capped stream: it matters only while it is fresh.
 *
 * Why streams and not BullMQ QueueEvents: events are fire-and-forget (a server that is down
 * misses them, two servers both get them); a consumer group holds an entry until it is
 * acknowledged and gives it to exactly one server.
 */

/**
 * Entries carry two fields: `m`, the message as JSON text, and `s`, its signature with the
 * station's key (packages/trust `signMessage`). A server believes nothing unsigned.
 */
export const STREAM_MESSAGE_FIELD = 'm';
export const STREAM_SIGNATURE_FIELD = 's';

/** The servers' consumer group on every station stream. */
export const SERVER_CONSUMER_GROUP = 'servers';

const stationKey = (prefix: string, stationId: StationId, suffix: string): string =>
  `${prefix}:station:${StationId.parse(stationId)}:${suffix}`;

/** station → server: registration and goodbye (signed, kind `control`). */
export const stationControlStream = (prefix: string, stationId: StationId): string =>
  stationKey(prefix, stationId, 'control');

/** Control entries kept per station stream: a station registers a few times a day. */
export const CONTROL_STREAM_MAXLEN = 100;

/** station → server: finished attempts (durable, acknowledged after the database commit). */
export const stationResultsStream = (prefix: string, stationId: StationId): string =>
  stationKey(prefix, stationId, 'results');

/** station → server: throttled progress (capped; lossy by design). */
export const stationProgressStream = (prefix: string, stationId: StationId): string =>
  stationKey(prefix, stationId, 'progress');

/** server → station: hash attemptId → ResultConfirmation, signed (kind `confirm`) as JSON. */
export const stationConfirmedKey = (prefix: string, stationId: StationId): string =>
  stationKey(prefix, stationId, 'confirmed');

/**
 * Progress entries kept per station stream. A station sends one entry per batch, at most one per
 * PROGRESS_BATCH_MS (station agent) plus one per full batch: about 20 a second from a busy jig, so
 * this is well over a minute of server stall before unread entries (and the stage changes they
 * carry) are trimmed. A full 128-slot jig's batch is ≈ 32 items, ≈ 5 KB: ≈ 10 MB of Redis.
 */
export const PROGRESS_STREAM_MAXLEN = 2_000;

export const StationResultMessage = z.object({
  v: z.literal(1),
  stationId: StationId,
  /** The agent boot that settled the attempt (a restarted agent settles its predecessor's). */
  bootId: z.string().min(1),
  slot: SlotNumber,
  /** The label IMEI the job was issued for. */
  imei: Imei,
  result: FlashRunResult,
});
export type StationResultMessage = z.infer<typeof StationResultMessage>;

export const StationProgressMessage = FlashRunProgress.extend({
  stationId: StationId,
  attemptId: z.string().min(1),
  slot: SlotNumber,
  imei: Imei,
});
export type StationProgressMessage = z.infer<typeof StationProgressMessage>;

/**
 * One progress stream entry: every slot's progress the station had for its last batch window, in
 * order, under one signature (one XADD, one HMAC, one read and acknowledgement at the server
 * instead of one per item). The server still accepts a single StationProgressMessage, as stations
 * before this batch sent them, so a line can upgrade its server first.
 */
export const StationProgressBatch = z.object({
  v: z.literal(1),
  stationId: StationId,
  progress: z.array(StationProgressMessage).min(1).max(PROGRESS_BATCH_MAX),
});
export type StationProgressBatch = z.infer<typeof StationProgressBatch>;

/**
 * The server's answer to one result: stored (committed, or stored before), or refused (it names
 * an attempt this server does not know, or one issued to another station or slot). Either way the
 * station may forget it; a refusal is logged on both sides.
 */
export const ResultConfirmation = z.object({
  v: z.literal(1),
  /**
   * The attempt this answers, inside the signature: a genuine confirmation copied onto another
   * attempt's field of the hash must not make the station forget that other result.
   */
  attemptId: z.string().min(1),
  stored: z.boolean(),
  at: z.iso.datetime(),
  reason: z.string().optional(),
});
export type ResultConfirmation = z.infer<typeof ResultConfirmation>;

/**
 * What a station says on its control stream: who it is and what it holds when it starts (and
 * again when Redis lost its keys), and goodbye when it stops.
 */
export const StationControlMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('register'), registration: StationRegistration }),
  z.object({ type: z.literal('unregister'), unregistration: StationUnregistration }),
]);
export type StationControlMessage = z.infer<typeof StationControlMessage>;
