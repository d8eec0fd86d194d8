// Whether a yield window is exactly one of the line's shifts: such a window is answered from the
// per-unit per-shift roll-up (docs/analytics.md "Roll-up"), any other from the attempts.
import type { AnalyticsWindow, ShiftSpec } from '@station/db';
import { currentShift } from './current-shift';

export function isWholeShift(
  window: AnalyticsWindow,
  timeZone: string,
  shifts: readonly ShiftSpec[],
): boolean {
  const shift = currentShift(window.from, timeZone, shifts);
  return (
    shift.from.getTime() === window.from.getTime() && shift.to.getTime() === window.to.getTime()
  );
}
