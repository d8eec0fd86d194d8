// Yield and failure Pareto over a window (issue #10; definitions in docs/analytics.md), computed in
// Postgres: window functions find each unit's first finished attempt in the window, so no attempt
// list ever reaches Node.
import { Prisma } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

/** A shift of the line's day in its time zone, minutes after midnight; end < start wraps. */
export interface ShiftSpec {
  startMinute: number;
  endMinute: number;
  /** `06:00-14:00`: the row key's suffix. */
  label: string;
}

export type YieldGrouping = 'hour' | 'shift' | 'day' | 'station' | 'slot' | 'package' | 'operator';
export type ParetoGrouping = 'errorCode' | 'stage' | 'slot' | 'station' | 'package';

export interface AnalyticsWindow {
  from: Date;
  to: Date;
}

export interface YieldInput extends AnalyticsWindow {
  groupBy: YieldGrouping;
  /** IANA zone of the line's clock (hours, days and shifts). */
  timeZone: string;
  shifts: readonly ShiftSpec[];
  /**
   * true when the window is exactly one shift of `shifts` (the caller knows the line's clock):
   * its units are then read from the roll-up unit_shifts, already reduced, instead of from the
   * shift's attempts. Any other window must leave it unset: a unit's first attempt is the first
   * in the window, and the roll-up knows only the first in each shift.
   */
  wholeShift?: boolean;
}

export interface YieldGroup {
  key: string;
  units: number;
  firstPassUnits: number;
  passedUnits: number;
  attempts: number;
  interrupted: number;
  /** The group's period (time groupings only), to count its hours within the window. */
  periodStart: Date | null;
  periodEnd: Date | null;
}

export interface ParetoCount {
  key: string;
  label: string;
  count: number;
}

/**
 * How a grouping is made in two steps: `columns` (over an attempt `a`, with `from` joined) are
 * what units and interruptions are counted by, then `key`, `start` and `end` (over those counted
 * rows `g`, with `join`) name each group. Ids are counted first and named after, so the names
 * are joined to a hundred groups, not to every attempt of the window.
 */
interface Grouping {
  columns: Prisma.Sql;
  /** How many columns `columns` has (they are grouped by position). */
  width: number;
  from: Prisma.Sql;
  key: Prisma.Sql;
  start: Prisma.Sql;
  end: Prisma.Sql;
  join: Prisma.Sql;
}

/**
 * A time grouping: units are counted by `columns` (the local hour or day, for shifts also the
 * shift), the key and the period's instants are made from those few buckets, not per attempt.
 */
function byTime(
  columns: Prisma.Sql,
  width: number,
  named: { key: Prisma.Sql; start: Prisma.Sql; end: Prisma.Sql },
  from = Prisma.empty,
): Grouping {
  return { columns, width, from, ...named, join: Prisma.empty };
}

/** A grouping by what the attempt refers to: counted by `ids`, named by `key` over `join`. */
function byIds(ids: string[], key: Prisma.Sql, join: Prisma.Sql): Grouping {
  return {
    columns: Prisma.raw(ids.map((id) => `a."${id}"`).join(', ')),
    width: ids.length,
    from: Prisma.empty,
    key,
    start: Prisma.sql`NULL::timestamptz`,
    end: Prisma.sql`NULL::timestamptz`,
    join,
  };
}

function grouping(input: YieldInput): Grouping {
  const tz = Prisma.sql`${input.timeZone}::text`;
  const local = Prisma.sql`(a."started_at" AT TIME ZONE ${tz})`;
  const station = Prisma.sql`JOIN "stations" st ON st."id" = g."station_id"`;
  switch (input.groupBy) {
    case 'hour':
      return byTime(Prisma.sql`date_trunc('hour', ${local}) AS bucket`, 1, {
        key: Prisma.sql`to_char(g.bucket, 'YYYY-MM-DD"T"HH24:MI')`,
        start: Prisma.sql`(g.bucket AT TIME ZONE ${tz})`,
        end: Prisma.sql`((g.bucket + interval '1 hour') AT TIME ZONE ${tz})`,
      });
    case 'day':
      return byTime(Prisma.sql`date_trunc('day', ${local}) AS bucket`, 1, {
        key: Prisma.sql`to_char(g.bucket, 'YYYY-MM-DD')`,
        start: Prisma.sql`(g.bucket AT TIME ZONE ${tz})`,
        end: Prisma.sql`((g.bucket + interval '1 day') AT TIME ZONE ${tz})`,
      });
    case 'shift': {
      // The shift whose span holds the local minute; a shift that wraps midnight belongs to the
      // day it started, so 02:00 on the 27th is in the 26th's 22:00-06:00 shift.
      const specs = Prisma.join(
        input.shifts.map(
          (s) => Prisma.sql`(${s.label}::text, ${s.startMinute}::int, ${s.endMinute}::int)`,
        ),
      );
      const minute = Prisma.sql`(extract(hour FROM ${local})::int * 60 + extract(minute FROM ${local})::int)`;
      const day = Prisma.sql`(date_trunc('day', ${local}) - CASE WHEN sh.s > sh.e AND ${minute} < sh.e THEN interval '1 day' ELSE interval '0' END)`;
      const start = Prisma.sql`(g.bucket + g.s * interval '1 minute')`;
      return byTime(
        Prisma.sql`${day} AS bucket, sh.label AS label, sh.s AS s, sh.e AS e`,
        4,
        {
          key: Prisma.sql`to_char(g.bucket, 'YYYY-MM-DD') || ' ' || g.label`,
          start: Prisma.sql`(${start} AT TIME ZONE ${tz})`,
          end: Prisma.sql`((${start} + ((g.e - g.s + 1440) % 1440) * interval '1 minute') AT TIME ZONE ${tz})`,
        },
        Prisma.sql`JOIN (VALUES ${specs}) AS sh(label, s, e)
          ON CASE WHEN sh.s < sh.e THEN ${minute} >= sh.s AND ${minute} < sh.e
                  ELSE ${minute} >= sh.s OR ${minute} < sh.e END`,
      );
    }
    case 'station':
      return byIds(['station_id'], Prisma.sql`st."code"`, station);
    case 'slot':
      return byIds(
        ['station_id', 'slot_id'],
        Prisma.sql`st."code" || '/' || (sl."index" + 1)`,
        Prisma.sql`${station} JOIN "slots" sl ON sl."id" = g."slot_id"`,
      );
    case 'package':
      return byIds(
        ['package_id'],
        Prisma.sql`fp."name" || ' ' || fp."revision"`,
        Prisma.sql`JOIN "firmware_packages" fp ON fp."id" = g."package_id"`,
      );
    case 'operator':
      return byIds(
        ['operator_id'],
        Prisma.sql`coalesce(u."username", '(none)')`,
        Prisma.sql`LEFT JOIN "users" u ON u."id" = g."operator_id"`,
      );
  }
}

/**
 * The window's units, one row each: their first finished attempt's start and ids, whether it
 * passed, whether any passed, and the finished attempts. From the attempts: one sort by module
 * and start gives each attempt its place in its unit and the unit's totals on every row, so a
 * unit is its first row (n = 1), no regrouping.
 */
const attemptUnits = (window: Prisma.Sql) => Prisma.sql`
  SELECT * FROM (
    SELECT a."started_at", a."station_id", a."slot_id", a."package_id", a."operator_id",
           a."outcome" = 'passed' AS first_passed,
           row_number() OVER unit_order AS n,
           count(*) OVER unit_all AS attempts,
           bool_or(a."outcome" = 'passed') OVER unit_all AS passed
    FROM "flash_attempts" a
    WHERE ${window} AND a."outcome" IN ('passed', 'failed')
    WINDOW unit_order AS (PARTITION BY a."module_id" ORDER BY a."started_at", a."id"),
           unit_all AS (PARTITION BY a."module_id")
  ) a WHERE a.n = 1`;

/** The same rows from the roll-up, for a window that is exactly one shift. */
const rollupUnits = (window: Prisma.Sql) => Prisma.sql`
  SELECT a."started_at", a."station_id", a."slot_id", a."package_id", a."operator_id",
         a."first_passed", a."any_passed" AS passed, a."finished_attempts" AS attempts
  FROM "unit_shifts" a WHERE ${window}`;

interface YieldSqlRow {
  key: string;
  units: bigint;
  first_pass: bigint;
  passed: bigint;
  attempts: bigint;
  interrupted: bigint;
  period_start: Date | null;
  period_end: Date | null;
}

/**
 * Per group: units (by their first finished attempt in the window) and interrupted attempts.
 * The interruptions are a second, small read (flash_attempts_unjudged_idx), so the window's
 * finished attempts are read once, straight into the sort by module.
 */
async function yieldGroups(
  db: PrismaClientOrTransaction,
  input: YieldInput,
): Promise<YieldGroup[]> {
  const g = grouping(input);
  const positions = Prisma.raw(Array.from({ length: g.width }, (_, i) => i + 1).join(', '));
  const window = Prisma.sql`a."started_at" >= ${input.from} AND a."started_at" < ${input.to}`;
  const rows = await db.$queryRaw<YieldSqlRow[]>`
    WITH units AS (${input.wholeShift ? rollupUnits(window) : attemptUnits(window)}),
    unit_counts AS (
      SELECT ${g.columns}, count(*) AS units,
             count(*) FILTER (WHERE a.first_passed) AS first_pass,
             count(*) FILTER (WHERE a.passed) AS passed, sum(a.attempts)::bigint AS attempts
      FROM units a ${g.from} GROUP BY ${positions}
    ),
    interruption_counts AS (
      SELECT ${g.columns}, count(*) AS interrupted
      FROM "flash_attempts" a ${g.from}
      WHERE ${window} AND a."outcome" IN ('interrupted', 'canceled') GROUP BY ${positions}
    ),
    by_unit AS (
      SELECT ${g.key} AS key, min(${g.start}) AS period_start, min(${g.end}) AS period_end,
             sum(g.units)::bigint AS units, sum(g.first_pass)::bigint AS first_pass,
             sum(g.passed)::bigint AS passed, sum(g.attempts)::bigint AS attempts
      FROM unit_counts g ${g.join} GROUP BY 1
    ),
    by_interruption AS (
      SELECT ${g.key} AS key, min(${g.start}) AS period_start, min(${g.end}) AS period_end,
             sum(g.interrupted)::bigint AS interrupted
      FROM interruption_counts g ${g.join} GROUP BY 1
    )
    SELECT coalesce(b.key, i.key) AS key,
           coalesce(b.units, 0) AS units, coalesce(b.first_pass, 0) AS first_pass,
           coalesce(b.passed, 0) AS passed, coalesce(b.attempts, 0) AS attempts,
           coalesce(i.interrupted, 0) AS interrupted,
           coalesce(b.period_start, i.period_start) AS period_start,
           coalesce(b.period_end, i.period_end) AS period_end
    FROM by_unit b FULL JOIN by_interruption i ON i.key = b.key
    ORDER BY 7 NULLS LAST, 1`;
  return rows.map((r) => ({
    key: r.key,
    units: Number(r.units),
    firstPassUnits: Number(r.first_pass),
    passedUnits: Number(r.passed),
    attempts: Number(r.attempts),
    interrupted: Number(r.interrupted),
    periodStart: r.period_start,
    periodEnd: r.period_end,
  }));
}

/**
 * Per cause: what the failures are counted by (`a.` columns, grouped first, so only a few rows
 * meet the joins and the names), then the key and label made from those counts (`c.`).
 */
const paretoGroups: Record<
  ParetoGrouping,
  { counted: Prisma.Sql; grouped: Prisma.Sql; key: Prisma.Sql; label: Prisma.Sql; join: Prisma.Sql }
> = {
  errorCode: {
    counted: Prisma.sql`a."error_code", max(a."error_name") AS "error_name"`,
    grouped: Prisma.sql`a."error_code"`,
    key: Prisma.sql`coalesce(c."error_code"::text, 'none')`,
    label: Prisma.sql`coalesce(c."error_name", coalesce(c."error_code"::text, 'none'))`,
    join: Prisma.empty,
  },
  stage: {
    counted: Prisma.sql`a."stage_reached"`,
    grouped: Prisma.sql`a."stage_reached"`,
    key: Prisma.sql`c."stage_reached"::text`,
    label: Prisma.sql`c."stage_reached"::text`,
    join: Prisma.empty,
  },
  slot: {
    counted: Prisma.sql`a."station_id", a."slot_id"`,
    grouped: Prisma.sql`a."station_id", a."slot_id"`,
    key: Prisma.sql`st."code" || '/' || (sl."index" + 1)`,
    label: Prisma.sql`st."code" || ' ' || sl."label"`,
    join: Prisma.sql`JOIN "stations" st ON st."id" = c."station_id" JOIN "slots" sl ON sl."id" = c."slot_id"`,
  },
  station: {
    counted: Prisma.sql`a."station_id"`,
    grouped: Prisma.sql`a."station_id"`,
    key: Prisma.sql`st."code"`,
    label: Prisma.sql`st."name"`,
    join: Prisma.sql`JOIN "stations" st ON st."id" = c."station_id"`,
  },
  package: {
    counted: Prisma.sql`a."package_id"`,
    grouped: Prisma.sql`a."package_id"`,
    key: Prisma.sql`fp."name" || ' ' || fp."revision"`,
    label: Prisma.sql`fp."name" || ' ' || fp."revision"`,
    join: Prisma.sql`JOIN "firmware_packages" fp ON fp."id" = c."package_id"`,
  },
};

/**
 * Failed attempts started in the window, counted per cause, most frequent first. The window's
 * failures are read from flash_attempts_failed_idx alone (an index-only scan) and counted by
 * id before any name is joined: at 10 M attempts a 30-day window holds some 300 000 failures.
 */
async function paretoCounts(
  db: PrismaClientOrTransaction,
  input: AnalyticsWindow & { by: ParetoGrouping },
): Promise<ParetoCount[]> {
  const g = paretoGroups[input.by];
  const rows = await db.$queryRaw<{ key: string; label: string; count: bigint }[]>`
    WITH counts AS (
      SELECT ${g.counted}, count(*) AS n
      FROM "flash_attempts" a
      WHERE a."started_at" >= ${input.from} AND a."started_at" < ${input.to}
        AND a."outcome" = 'failed'
      GROUP BY ${g.grouped}
    )
    SELECT ${g.key} AS key, ${g.label} AS label, sum(c.n)::bigint AS count
    FROM counts c ${g.join}
    GROUP BY 1, 2
    ORDER BY 3 DESC, 1`;
  return rows.map((r) => ({ key: r.key, label: r.label, count: Number(r.count) }));
}

export const analyticsRepository = { yieldGroups, paretoCounts };
