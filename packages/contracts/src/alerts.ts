import { z } from 'zod';
import { SlotNumber, StationId } from './stations';

/**
 * Alerts (issue #12 §2, docs/operations.md "Alerts"): what the server found wrong on the line, in
 * words for a supervisor, with the action to take and the figures it was decided from.
 */
export const AlertKind = z.enum([
  'yield_below_target',
  'slot_silent',
  'retest_rate_high',
  'station_offline',
  'results_waiting',
  'slot_suspect',
]);
export type AlertKind = z.infer<typeof AlertKind>;

/** `critical`: the line loses units or records now; `warning`: it will if nobody looks. */
export const AlertSeverity = z.enum(['warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const Alert = z.object({
  /** `<kind>:<station>` or `<kind>:<station>/<slot>`: the same problem keeps its id. */
  id: z.string().min(1),
  kind: AlertKind,
  severity: AlertSeverity,
  stationId: StationId,
  /** The slot it is about; null for a whole station. */
  slot: SlotNumber.nullable(),
  /** When it began to fire (ISO). */
  since: z.iso.datetime(),
  /** What is wrong, in one sentence a supervisor reads at a glance. */
  message: z.string().min(1),
  /** What to do about it, and who. */
  action: z.string().min(1),
  /** The figures it was decided from (`firstPassYield`, `units`, `minutesSilent`, …). */
  evidence: z.record(z.string(), z.number()),
});
export type Alert = z.infer<typeof Alert>;

/**
 * `ok`: the last evaluation read everything; `unknown`: it could not (database or Redis down, or
 * over its deadline): the alerts shown are the last ones known, and may be stale.
 */
export const AlertState = z.enum(['ok', 'unknown']);
export type AlertState = z.infer<typeof AlertState>;

/** `GET /api/alerts` */
export const AlertsResponse = z.object({
  state: AlertState,
  /** When the last evaluation finished; null before the first one. */
  evaluatedAt: z.iso.datetime().nullable(),
  /** Why the state is unknown; null when it is ok. */
  error: z.string().nullable(),
  /** Firing now, most severe first, then oldest first. */
  alerts: z.array(Alert),
});
export type AlertsResponse = z.infer<typeof AlertsResponse>;

/** `alert:changed` to supervisors and up: the whole list after a change, and what changed. */
export const AlertChangedEvent = AlertsResponse.extend({
  v: z.literal(1),
  fired: z.array(z.string()),
  cleared: z.array(z.string()),
});
export type AlertChangedEvent = z.infer<typeof AlertChangedEvent>;

/** Room of the sockets that receive `alert:changed` (supervisors, engineers, admins). */
export const ALERTS_ROOM = 'alerts';

/** What makes each alert fire; docs/operations.md "Alerts" names the settings that set them. */
export const AlertThresholds = z.object({
  /** Yield and retest rate are over this window (the last hour by default). */
  windowMs: z.number().int().positive(),
  /** First-pass yield below this (0–1) fires yield_below_target. */
  yieldTarget: z.number().min(0).max(1),
  /** Units a station must have finished in the window before its yield or retest rate counts. */
  minUnits: z.number().int().positive(),
  /** Retest rate (extra attempts per unit) above this fires retest_rate_high. */
  retestRateMax: z.number().nonnegative(),
  /** A slot with no finished attempt this long, on an active station, is silent … */
  silentMs: z.number().int().positive(),
  /** … when the station's other slots finished at least this many units meanwhile. */
  silentNeighbourUnits: z.number().int().positive(),
  /** Results a station's journal holds unconfirmed before results_waiting fires. */
  resultsWaitingMin: z.number().int().positive(),
  /** How long a condition must last before it fires (a restart or a hiccup pages nobody). */
  holdMs: z.record(AlertKind, z.number().int().nonnegative()),
});
export type AlertThresholds = z.infer<typeof AlertThresholds>;
