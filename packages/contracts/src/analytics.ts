// Yield and failure Pareto over a time window (issue #10, definitions in docs/analytics.md).
import { z } from 'zod';

/** The longest window one analytics query may cover. */
export const ANALYTICS_MAX_WINDOW_DAYS = 400;

/** `from`/`to`: ISO datetimes, `to` after `from`, at most ANALYTICS_MAX_WINDOW_DAYS apart. */
const AnalyticsWindow = z.object({
  /** Attempts started at or after this instant. */
  from: z.iso.datetime({ offset: true }),
  /** Attempts started before this instant. */
  to: z.iso.datetime({ offset: true }),
});

const checkWindow = (window: { from: string; to: string }, ctx: z.RefinementCtx) => {
  const span = Date.parse(window.to) - Date.parse(window.from);
  if (span <= 0) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  } else if (span > ANALYTICS_MAX_WINDOW_DAYS * 86_400_000) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `the window from from to to may cover at most ${ANALYTICS_MAX_WINDOW_DAYS} days`,
    });
  }
};

export const YieldGroupBy = z.enum([
  'hour',
  'shift',
  'day',
  'station',
  'slot',
  'package',
  'operator',
]);
export type YieldGroupBy = z.infer<typeof YieldGroupBy>;

/** `GET /api/yield` query. */
export const YieldQuery = AnalyticsWindow.extend({ groupBy: YieldGroupBy }).superRefine(
  checkWindow,
);
export type YieldQuery = z.infer<typeof YieldQuery>;

/** One group's figures; ratios are null when the group has no unit. */
export const YieldRow = z.object({
  /**
   * The group: `2026-11-27T06:00` (hour, line time), `2026-11-26 22:00-06:00` (shift, by the day
   * it starts), `2026-11-27` (day), a station code, `<station>/<slot number>`, `<package>
   * <revision>`, an operator's username or `(none)`.
   */
  key: z.string(),
  /** Modules whose first finished attempt in the window falls in this group. */
  units: z.number().int().nonnegative(),
  firstPassYield: z.number().nullable(),
  finalYield: z.number().nullable(),
  retestRate: z.number().nullable(),
  /** Units passed / hours of the group's period within the window (the whole window for others). */
  unitsPerHour: z.number().nullable(),
  /** Finished (passed or failed) attempts of those units in the window. */
  attempts: z.number().int().nonnegative(),
  /** Interrupted and canceled attempts in the window that fall in this group themselves. */
  interrupted: z.number().int().nonnegative(),
});
export type YieldRow = z.infer<typeof YieldRow>;

export const YieldResponse = z.object({ rows: z.array(YieldRow) });
export type YieldResponse = z.infer<typeof YieldResponse>;

export const ParetoBy = z.enum(['errorCode', 'stage', 'slot', 'station', 'package']);
export type ParetoBy = z.infer<typeof ParetoBy>;

/** `GET /api/failures/pareto` query. */
export const ParetoQuery = AnalyticsWindow.extend({ by: ParetoBy }).superRefine(checkWindow);
export type ParetoQuery = z.infer<typeof ParetoQuery>;

/** One cause of failed attempts, most frequent first. */
export const ParetoRow = z.object({
  /** The error code (`none` when a failure had none), stage, `<station>/<slot>`, station or package. */
  key: z.string(),
  /** Human name: the error's name, or the key again. */
  label: z.string(),
  count: z.number().int().positive(),
  /** count / all failed attempts in the window. */
  share: z.number(),
  /** This row's share plus every row's before it. */
  cumulativeShare: z.number(),
});
export type ParetoRow = z.infer<typeof ParetoRow>;

export const ParetoResponse = z.object({ rows: z.array(ParetoRow) });
export type ParetoResponse = z.infer<typeof ParetoResponse>;

/** `GET /api/analytics/settings`: what the yield page needs to frame the line's current shift. */
export const AnalyticsSettingsResponse = z.object({
  /** LINE_TIME_ZONE: hours, days and shifts follow this zone's clock. */
  timeZone: z.string(),
  /** SHIFTS, each `HH:MM-HH:MM` in that zone. */
  shifts: z.array(z.string()),
  /** UNITS_PER_HOUR_TARGET: units passed per hour the line aims for. */
  unitsPerHourTarget: z.number().int().positive(),
  /** The shift running now; `key` as `GET /api/yield?groupBy=shift` keys it. */
  currentShift: z.object({
    key: z.string(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
  }),
});
export type AnalyticsSettingsResponse = z.infer<typeof AnalyticsSettingsResponse>;
