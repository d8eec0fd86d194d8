import type { SlotStatus, StationStatus } from '@station/contracts';

/** What a slot tile shows until flash jobs exist: a slot is idle when its station is connected. */
export type SlotState = 'idle' | 'offline';

export function slotState(station: StationStatus, _slot: SlotStatus): SlotState {
  return station.connected ? 'idle' : 'offline';
}

const byStationId = (a: StationStatus, b: StationStatus) => a.stationId.localeCompare(b.stationId);

/** A live `station:update`: replaces that station, or adds it. */
export function applyStationUpdate(
  stations: readonly StationStatus[],
  update: StationStatus,
): StationStatus[] {
  const others = stations.filter((s) => s.stationId !== update.stationId);
  return [...others, update].sort(byStationId);
}

/**
 * A full list (health poll or socket snapshot) replaces the current one, except where the current
 * entry was heard more recently: a poll answered just before a live update must not undo it.
 */
export function applyStationSnapshot(
  current: readonly StationStatus[],
  snapshot: readonly StationStatus[],
): StationStatus[] {
  const known = new Map(current.map((s) => [s.stationId, s]));
  return snapshot
    .map((incoming) => {
      const mine = known.get(incoming.stationId);
      return mine && Date.parse(mine.lastSeenAt) > Date.parse(incoming.lastSeenAt)
        ? mine
        : incoming;
    })
    .sort(byStationId);
}
