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
 * A full list (health poll or socket snapshot) merges into the current one, entry by entry keeping
 * whichever was heard more recently: a poll answered just after a live update must not undo it.
 * Stations missing from the list stay (the server never forgets a station, it marks it gone; a
 * station missing here registered after the list was taken).
 */
export function applyStationSnapshot(
  current: readonly StationStatus[],
  snapshot: readonly StationStatus[],
): StationStatus[] {
  const merged = new Map(current.map((s) => [s.stationId, s]));
  for (const incoming of snapshot) {
    const mine = merged.get(incoming.stationId);
    if (!mine || Date.parse(mine.lastSeenAt) <= Date.parse(incoming.lastSeenAt)) {
      merged.set(incoming.stationId, incoming);
    }
  }
  return [...merged.values()].sort(byStationId);
}
