import type { YieldRow } from '@station/contracts';

/**
 * The slot heat map (pure): each slot's first-pass yield as a colour from red (50 % and less)
 * through amber (90 %) to green (100 %), with the number always written on the cell, so colour is
 * never the only carrier. Slots without a unit are grey.
 */
const STOPS: readonly { at: number; hue: number }[] = [
  { at: 0.5, hue: 0 },
  { at: 0.9, hue: 40 },
  { at: 1, hue: 130 },
];
export const NO_UNITS_COLOUR = 'hsl(210, 15%, 28%)';

export function heatColour(firstPassYield: number | null): string {
  if (firstPassYield === null) return NO_UNITS_COLOUR;
  const y = Math.min(1, Math.max(STOPS[0]!.at, firstPassYield));
  const upper = STOPS.findIndex((stop) => y <= stop.at);
  const hi = STOPS[Math.max(upper, 0)]!;
  const lo = STOPS[Math.max(upper - 1, 0)]!;
  const hue = hi === lo ? hi.hue : lo.hue + ((y - lo.at) / (hi.at - lo.at)) * (hi.hue - lo.hue);
  // Dark enough for white text at every hue.
  return `hsl(${Math.round(hue)}, 70%, 32%)`;
}

/** The legend's steps: the values shown with their colour. */
export const LEGEND_STEPS: readonly (number | null)[] = [0.5, 0.7, 0.9, 0.95, 1, null];

export interface HeatCell {
  slot: number;
  units: number;
  firstPassYield: number | null;
}

export interface HeatStation {
  stationId: string;
  cells: HeatCell[];
}

/**
 * One grid per station: the slots the line reports (live), and any slot with figures whose station
 * is not connected now; rows are keyed `<station>/<slot>` (groupBy=slot).
 */
export function heatMapOf(
  live: readonly { stationId: string; slots: readonly number[] }[],
  rows: readonly YieldRow[],
): HeatStation[] {
  const slots = new Map<string, Set<number>>();
  const add = (stationId: string, slot: number) => {
    const known = slots.get(stationId) ?? new Set<number>();
    known.add(slot);
    slots.set(stationId, known);
  };
  for (const station of live) for (const slot of station.slots) add(station.stationId, slot);
  const byKey = new Map(rows.map((row) => [row.key, row]));
  for (const row of rows) {
    const cut = row.key.lastIndexOf('/');
    const slot = Number(row.key.slice(cut + 1));
    if (cut > 0 && Number.isInteger(slot)) add(row.key.slice(0, cut), slot);
  }
  return [...slots.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([stationId, numbers]) => ({
      stationId,
      cells: [...numbers]
        .sort((a, b) => a - b)
        .map((slot) => {
          const row = byKey.get(`${stationId}/${slot}`);
          return { slot, units: row?.units ?? 0, firstPassYield: row?.firstPassYield ?? null };
        }),
    }));
}
