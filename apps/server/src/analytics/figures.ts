// The ratios of docs/analytics.md from a group's counts (pure: the database does the counting).
import type { ParetoRow, YieldRow } from '@station/contracts';
import type { AnalyticsWindow, ParetoCount, YieldGroup } from '@station/db';

const HOUR_MS = 3_600_000;

/** Hours of [start, end) inside the window; the whole window when the group has no period. */
function hoursWithin(window: AnalyticsWindow, start: Date | null, end: Date | null): number {
  const from = Math.max(window.from.getTime(), start?.getTime() ?? -Infinity);
  const to = Math.min(window.to.getTime(), end?.getTime() ?? Infinity);
  return Math.max(0, to - from) / HOUR_MS;
}

export function yieldRow(window: AnalyticsWindow, group: YieldGroup): YieldRow {
  const { units } = group;
  const hours = hoursWithin(window, group.periodStart, group.periodEnd);
  return {
    key: group.key,
    units,
    firstPassYield: units === 0 ? null : group.firstPassUnits / units,
    finalYield: units === 0 ? null : group.passedUnits / units,
    retestRate: units === 0 ? null : (group.attempts - units) / units,
    unitsPerHour: hours === 0 ? null : group.passedUnits / hours,
    attempts: group.attempts,
    interrupted: group.interrupted,
  };
}

/** Shares of all the counted failures, and the running total in the given (descending) order. */
export function paretoRows(counts: readonly ParetoCount[]): ParetoRow[] {
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  let running = 0;
  return counts.map((c) => {
    running += c.count;
    return { ...c, share: c.count / total, cumulativeShare: running / total };
  });
}
