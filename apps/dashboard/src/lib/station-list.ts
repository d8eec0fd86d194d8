import type { SlotStatus, StationStatus } from '@station/contracts';

/**
 * Whether a slot can flash at all: its station must be connected and its port present (a station
 * reports `online: false` for a slot whose adapter is unplugged; older stations say nothing).
 */
export type SlotState = 'online' | 'station-gone' | 'port-missing';

export function slotState(station: StationStatus, slot: SlotStatus): SlotState {
  if (!station.connected) return 'station-gone';
  return slot.online === false ? 'port-missing' : 'online';
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
