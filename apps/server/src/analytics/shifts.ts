// SHIFTS: the line's shifts as `HH:MM-HH:MM,…` in its time zone (docs/analytics.md "Shifts").
// They must cover the day exactly once, so every attempt falls in one shift.
import type { ShiftSpec } from '@station/db';

const MINUTES_PER_DAY = 1440;
const SPAN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

export const DEFAULT_SHIFTS = '06:00-14:00,14:00-22:00,22:00-06:00';

/** The shifts, or the one sentence that says what is wrong with them. */
export function parseShifts(value: string): ShiftSpec[] | string {
  const shifts: ShiftSpec[] = [];
  for (const part of value.split(',').map((p) => p.trim())) {
    const match = SPAN.exec(part);
    if (!match) return `"${part}" is not a shift like 06:00-14:00 (HH:MM-HH:MM, 24-hour clock)`;
    const [, sh, sm, eh, em] = match.map(Number) as [number, number, number, number, number];
    const startMinute = sh * 60 + sm;
    const endMinute = eh * 60 + em;
    if (startMinute === endMinute) return `shift ${part} starts and ends at the same time`;
    shifts.push({ startMinute, endMinute, label: part });
  }
  const covered = new Array<number>(MINUTES_PER_DAY).fill(0);
  for (const { startMinute, endMinute } of shifts) {
    for (let m = startMinute; m !== endMinute; m = (m + 1) % MINUTES_PER_DAY) covered[m]! += 1;
  }
  const twice = covered.findIndex((n) => n > 1);
  if (twice >= 0) return `shifts overlap at ${clock(twice)}`;
  // Name where the first gap begins, not midnight when a gap merely spans it.
  const gap = covered.findIndex(
    (n, m) => n === 0 && covered[(m + MINUTES_PER_DAY - 1) % MINUTES_PER_DAY]! > 0,
  );
  if (gap >= 0) return `no shift covers ${clock(gap)}: the shifts must cover the whole day`;
  return shifts;
}

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
