// The shift running at an instant, in the line's time zone (docs/analytics.md "Shifts"): the
// yield page asks for its window, so the dashboard never does time-zone arithmetic itself.
import type { ShiftSpec } from '@station/db';

const MINUTES_PER_DAY = 1440;

export interface CurrentShift {
  /** As `GET /api/yield?groupBy=shift` keys it: `2026-11-26 22:00-06:00`, by the day it began. */
  key: string;
  from: Date;
  to: Date;
}

interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/** The calendar day and minute of the day of `instant` on the zone's clock. */
function localClock(instant: Date, timeZone: string): LocalDay & { minute: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    minute: part('hour') * 60 + part('minute'),
  };
}

/** How far the zone's clock is ahead of UTC at `instantMs`, in ms (whole minutes). */
function offsetAt(instantMs: number, timeZone: string): number {
  const c = localClock(new Date(instantMs), timeZone);
  const asUtc = Date.UTC(c.year, c.month - 1, c.day, 0, c.minute);
  return asUtc - Math.floor(instantMs / 60_000) * 60_000;
}

/**
 * The instant the zone's clock shows `minute` on `day`. Asked twice because the offset at the
 * guess may differ from the offset at the answer across a daylight-saving change.
 */
function instantOf(day: LocalDay, minute: number, timeZone: string): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day, 0, minute);
  const first = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(first, timeZone));
}

const addDays = (day: LocalDay, days: number): LocalDay => {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};

const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (day: LocalDay) => `${day.year}-${pad(day.month)}-${pad(day.day)}`;

const contains = (shift: ShiftSpec, minute: number): boolean =>
  shift.startMinute < shift.endMinute
    ? minute >= shift.startMinute && minute < shift.endMinute
    : minute >= shift.startMinute || minute < shift.endMinute;

/** The shift `now` falls in; `shifts` cover the day exactly once (env.ts checks it). */
export function currentShift(
  now: Date,
  timeZone: string,
  shifts: readonly ShiftSpec[],
): CurrentShift {
  const clock = localClock(now, timeZone);
  const shift = shifts.find((s) => contains(s, clock.minute));
  if (!shift) throw new Error(`no shift covers minute ${clock.minute} of the day`);
  // Past midnight in a shift that began the evening before: it belongs to that day.
  const began = clock.minute >= shift.startMinute ? clock : addDays(clock, -1);
  const ends = shift.startMinute < shift.endMinute ? began : addDays(began, 1);
  return {
    key: `${isoDay(began)} ${shift.label}`,
    from: instantOf(began, shift.startMinute, timeZone),
    to: instantOf(ends, shift.endMinute % MINUTES_PER_DAY, timeZone),
  };
}
