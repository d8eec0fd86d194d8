import { z } from 'zod';
import { SlotNumber, StationId } from './stations';

/**
 * Station presence. The agent keeps `<prefix>:station:<id>:heartbeat` alive (value = a
 * StationHeartbeat as JSON)
 * with a TTL several times its refresh interval; the server polls the keys it knows about.
 *
 * Why a TTL key rather than BullMQ worker presence (`Queue.getWorkers`, i.e. CLIENT LIST): a key
 * expires by itself when the agent is SIGKILLed or its host loses power, works on Redis setups that
 * forbid CLIENT LIST, is one O(1) command per station, and names the agent's boot, so a restarted
 * agent is told apart from its dead predecessor. Why polling rather than keyspace notifications:
 * they need `notify-keyspace-events` configured on the server and are lost while the subscriber
 * reconnects; a poll is never lost.
 */
export const STATION_HEARTBEAT = {
  /** How often the agent refreshes its key. */
  intervalMs: 1500,
  /** Key lifetime: three missed refreshes before the station is considered gone. */
  ttlMs: 5000,
} as const;

export const stationHeartbeatKey = (prefix: string, stationId: StationId): string =>
  `${prefix}:station:${StationId.parse(stationId)}:heartbeat`;

/**
 * The heartbeat key's value: which boot is alive, and what it holds. The server's reconciler
 * settles an open attempt as lost only when neither its BullMQ job nor the station's heartbeat
 * accounts for it (design §9), so an attempt is listed here from the moment the station journals
 * its start until the server has confirmed its result.
 */
export const StationHeartbeat = z.object({
  v: z.literal(1),
  bootId: z.string().min(1),
  /** Attempts this boot is flashing now. */
  active: z.array(z.string().min(1)),
  /** Finished attempts whose result the server has not confirmed yet. */
  unconfirmed: z.array(z.string().min(1)),
  /** Slots whose serial port is missing (adapter unplugged, jig gone). */
  offlineSlots: z.array(SlotNumber),
});
export type StationHeartbeat = z.infer<typeof StationHeartbeat>;
