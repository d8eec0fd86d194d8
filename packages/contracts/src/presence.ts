import { StationId } from './stations';

/**
 * Station presence. The agent keeps `<prefix>:station:<id>:heartbeat` alive (value = its bootId)
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
