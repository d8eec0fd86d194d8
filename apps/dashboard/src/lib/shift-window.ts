// Window maths of the yield page (pure). The page asks the server for the whole current shift
// (the server knows the line's clock, GET /api/analytics/settings), so an attempt is never left
// out because this browser's clock runs behind the server's; the shift's units per hour is then
// taken over the hours of the shift that have passed.

export interface FiguresWindow {
  /** ISO instants, `to` exclusive. */
  from: string;
  to: string;
}

const HOUR_MS = 3_600_000;

/** Hours of the shift gone by at `now` (never below a minute: no absurd rate at 06:00:01). */
export function elapsedHours(shift: FiguresWindow, now: number): number {
  const from = Date.parse(shift.from);
  const until = Math.min(Date.parse(shift.to), now);
  return Math.max(until - from, 60_000) / HOUR_MS;
}

/** The shift is over: time to ask which shift runs now. */
export const shiftOver = (shift: FiguresWindow, now: number): boolean =>
  now >= Date.parse(shift.to);

/**
 * The line-clock hours of the shift, keyed as `GET /api/yield?groupBy=hour` keys them
 * (`2026-11-27T06:00`), in order: the hour axis of the chart, with hours nobody flashed in.
 * Daylight saving is the zone's: a repeated hour is listed once, a skipped one not at all.
 */
export function shiftHours(shift: FiguresWindow, timeZone: string): string[] {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
  });
  const keyOf = (instant: number) => {
    const parts = format.formatToParts(new Date(instant));
    const part = (type: Intl.DateTimeFormatPartTypes) =>
      parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:00`;
  };
  const keys: string[] = [];
  // Every quarter hour: zones with :30 and :45 offsets start hours between UTC's.
  for (let t = Date.parse(shift.from); t < Date.parse(shift.to); t += HOUR_MS / 4) {
    const key = keyOf(t);
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}
