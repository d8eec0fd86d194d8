// One day of synthetic attempts, made inside Postgres (INSERT … SELECT over generate_series):
// units (modules) are drawn with their time, slot, package and luck; each becomes its attempts
// (an interrupted or canceled try, the first try, a power or lower-baud retry, a move to the next
// slot) linked by retry_of_id; then the modules and the attempts are written, indexes and all.
import type pg from 'pg';
import {
  CANCELED_RATE,
  FACTORY_REVISION,
  FALLBACK_BAUDS,
  FAST_BAUD,
  IMEI_BODY_BASE,
  INTERRUPTED_RATE,
  KEYED_LABEL_RATE,
  MOVE_FAIL_RATE,
  NO_OPERATOR_RATE,
  OPERATORS,
  RETRY_FAIL_RATE,
  SLOTS_PER_STATION,
  STAGE_MS,
  STAGES,
  STATIONS,
  luhnDigitSql,
} from './seed-plan';

export interface DayBatch {
  dayStart: Date;
  /** Number of the first unit: its IMEI body is IMEI_BODY_BASE + this. */
  firstUnit: number;
  units: number;
  /** At most this many attempts are written (the last units' chains are cut). */
  attempts: number;
  /** Weeks since the window began: operators rotate between stations and shifts weekly. */
  week: number;
  hourLookup: number[];
  failureLookup: number[];
  /** seed_failure.n of the failure bad slots add, and of a cancel. */
  jigFailure: number;
  canceledFailure: number;
}

/** A UUIDv7 for the instant `ts` (48-bit milliseconds, version 7), as uuid(7) makes them. */
const uuidv7 = (ts: string) =>
  `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send(floor(extract(epoch FROM ${ts}) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid`;

const stageNumber = (stage: (typeof STAGES)[number]) => STAGES.indexOf(stage) + 1;
const WRITE = stageNumber('write');
const PREFLIGHT = stageNumber('preflight');
const cumulativeMs = STAGES.map((_, i) =>
  STAGES.slice(0, i + 1).reduce((sum, s) => sum + STAGE_MS[s], 0),
);
/** `{ "<stage>": ms }` for every stage, write stretched at a lower baud; cut in `batchSql`. */
const fullTimings = (row: string) =>
  `jsonb_build_object(${STAGES.map(
    (s) =>
      `'${s}', round(${STAGE_MS[s]} * ${row}.f${s === 'write' ? ` * ${FAST_BAUD}.0 / ${row}.baud` : ''})::int`,
  ).join(', ')})`;
const stageName = (n: string) => `(ARRAY[${STAGES.map((s) => `'${s}'`).join(', ')}])[${n}]`;
const lowerBaud = (baud: string) =>
  `CASE ${baud} WHEN ${FAST_BAUD} THEN ${FALLBACK_BAUDS[0]} ELSE ${FALLBACK_BAUDS[1]} END`;

const batchSql = `
CREATE TEMP TABLE seed_batch AS
WITH drawn AS (
  SELECT g,
         $1::timestamptz + ($6::int[])[1 + floor(random() * 1000)::int] * interval '1 hour'
           + random() * interval '59 minutes' AS t0,
         1 + floor(random() * ${STATIONS * SLOTS_PER_STATION})::int AS slot_n,
         random() AS r1, random() AS r2, random() AS r3, random() AS rx, random() AS ro,
         random() AS rj, random() AS rb,
         ($7::int[])[1 + floor(random() * 1000)::int] AS e1,
         ($7::int[])[1 + floor(random() * 1000)::int] AS e2,
         ($7::int[])[1 + floor(random() * 1000)::int] AS e3,
         0.85 + random() * 0.3 AS f
  FROM generate_series($2::bigint, $2::bigint + $3 - 1) g
),
unit AS (
  SELECT d.*, ${uuidv7('d.t0')} AS module_id, s.station_n, s.slot_index, p.package_id, p.revision, p.bytes,
         s.fail_rate * p.fail_factor AS p_fail,
         (${IMEI_BODY_BASE}::bigint + d.g) AS body,
         -- A bad slot's extra failures are the jig's (no answer from the boot ROM).
         CASE WHEN s.fail_rate > 0.1 AND d.rj < 0.6 THEN $8::int ELSE d.e1 END AS first_failure,
         CASE WHEN d.ro >= ${NO_OPERATOR_RATE} THEN (s.station_n + ${STATIONS} * (
           CASE WHEN extract(hour FROM d.t0 AT TIME ZONE 'UTC') BETWEEN 6 AND 13 THEN 0
                WHEN extract(hour FROM d.t0 AT TIME ZONE 'UTC') BETWEEN 14 AND 21 THEN 1
                ELSE 2 END) + $5::int) % ${OPERATORS} END AS op_n,
         s.station_n * ${SLOTS_PER_STATION} + (s.slot_index + 1) % ${SLOTS_PER_STATION} + 1 AS next_slot_n
  FROM drawn d
  JOIN seed_slot s ON s.n = d.slot_n
  JOIN seed_pkg p ON p.station_n = s.station_n AND d.t0 >= p.from_ts AND d.t0 < p.to_ts
),
chain AS (
  SELECT u.*, f1.retry AS retry1, f2.retry AS retry2,
         u.r1 < u.p_fail AS fail1,
         u.r1 < u.p_fail AND f1.retry <> 'never' AS has2,
         u.r1 < u.p_fail AND f1.retry <> 'never' AND u.r2 < ${RETRY_FAIL_RATE} AND f2.retry <> 'never' AS has3,
         CASE WHEN u.rx < ${INTERRUPTED_RATE} THEN 'interrupted'
              WHEN u.rx < ${INTERRUPTED_RATE + CANCELED_RATE} THEN 'canceled' END AS pre
  FROM unit u
  JOIN seed_failure f1 ON f1.n = u.first_failure
  JOIN seed_failure f2 ON f2.n = u.e2
),
tries AS (
  SELECT c.g, c.t0, c.body, c.op_n, c.package_id, c.revision, c.bytes, c.f, c.module_id, t.*
  FROM chain c CROSS JOIN LATERAL (VALUES
    (0, c.pre, CASE c.pre WHEN 'canceled' THEN $9::int END, c.slot_n, ${FAST_BAUD}),
    (1, CASE WHEN c.fail1 THEN 'failed' ELSE 'passed' END, CASE WHEN c.fail1 THEN c.first_failure END,
        c.slot_n, ${FAST_BAUD}),
    (2, CASE WHEN c.has2 THEN CASE WHEN c.r2 < ${RETRY_FAIL_RATE} THEN 'failed' ELSE 'passed' END END,
        CASE WHEN c.r2 < ${RETRY_FAIL_RATE} THEN c.e2 END, c.slot_n,
        CASE WHEN c.retry1 = 'baud' THEN ${FALLBACK_BAUDS[0]} ELSE ${FAST_BAUD} END),
    (3, CASE WHEN c.has3 THEN CASE WHEN c.r3 < ${MOVE_FAIL_RATE} THEN 'failed' ELSE 'passed' END END,
        CASE WHEN c.r3 < ${MOVE_FAIL_RATE} THEN c.e3 END, c.next_slot_n,
        CASE WHEN c.retry2 = 'baud'
             THEN ${lowerBaud(`CASE WHEN c.retry1 = 'baud' THEN ${FALLBACK_BAUDS[0]} ELSE ${FAST_BAUD} END`)}
             WHEN c.retry1 = 'baud' THEN ${FALLBACK_BAUDS[0]} ELSE ${FAST_BAUD} END)
  ) AS t(n, outcome, failure_n, try_slot_n, baud)
  WHERE t.outcome IS NOT NULL
),
shaped AS (
  SELECT tr.*, sl.slot_id, sl.station_id, sl.adapter_id,
         fl.code, fl.name, fl.operator_hint, fl.engineer_hint,
         CASE tr.outcome WHEN 'passed' THEN ${STAGES.length} WHEN 'interrupted' THEN ${WRITE}
                         ELSE fl.stage_n END AS stage_n
  FROM tries tr
  JOIN seed_slot sl ON sl.n = tr.try_slot_n
  LEFT JOIN seed_failure fl ON fl.n = tr.failure_n
),
timed AS (
  SELECT s.*,
         ((ARRAY[${cumulativeMs.join(', ')}])[s.stage_n]
           + CASE WHEN s.stage_n >= ${WRITE} THEN ${STAGE_MS.write} * (${FAST_BAUD}.0 / s.baud - 1) ELSE 0 END
         ) * s.f AS run_ms
  FROM shaped s
),
placed AS (
  -- Each try starts when the one before it ended, plus the time to re-seat or power-cycle.
  SELECT t.*, date_trunc('milliseconds', t.t0 + coalesce(sum(t.run_ms + 20000 + 10000 * t.f)
           OVER (PARTITION BY t.g ORDER BY t.n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
           * interval '1 millisecond') AS started_at
  FROM timed t
),
identified AS (
  SELECT p.*, ${uuidv7('p.started_at')} AS id,
         p.body::text || ${luhnDigitSql('p.body')}::text AS imei
  FROM placed p
)
SELECT i.g, i.n, i.id,
       i.module_id,
       i.imei, i.station_id, i.slot_id, i.adapter_id, i.package_id, o.user_id AS operator_id,
       i.id::text AS job_id,
       CASE WHEN i.n >= 2 THEN lag(i.id) OVER unit_tries END AS retry_of_id,
       i.started_at,
       date_trunc('milliseconds', i.started_at + i.run_ms * interval '1 millisecond') AS ended_at,
       i.outcome::attempt_outcome AS outcome,
       ${stageName('i.stage_n')}::flash_stage AS stage_reached,
       i.code AS error_code,
       CASE WHEN i.outcome = 'interrupted' THEN 'STATION_LOST' ELSE i.name END AS error_name,
       CASE WHEN i.outcome = 'interrupted'
              THEN 'The station stopped reporting while this attempt ran; settled as interrupted.'
            WHEN i.name IS NOT NULL THEN i.name || ' during ' || ${stageName('i.stage_n')}
       END AS error_message,
       ${fullTimings('i')} - (ARRAY[${STAGES.map((s) => `'${s}'`).join(', ')}])[i.stage_n + 1 : ${STAGES.length}]
         AS stage_timings,
       i.baud,
       CASE WHEN i.stage_n > ${WRITE} THEN i.bytes
            WHEN i.stage_n = ${WRITE} THEN (i.bytes * (i.g % 97) / 97)::bigint END AS bytes_written,
       CASE WHEN i.stage_n > ${PREFLIGHT} THEN '${FACTORY_REVISION}' END AS revision_before,
       CASE WHEN i.outcome = 'passed' THEN i.revision END AS revision_after,
       CASE WHEN i.stage_n > ${PREFLIGHT} THEN i.imei END AS reported_imei,
       i.operator_hint, i.engineer_hint,
       CASE WHEN i.g % 10 < ${KEYED_LABEL_RATE * 10}
            THEN 'IMEI:' || i.imei || ';SN:MC60' || lpad(i.g::text, 10, '0') END AS label_raw,
       CASE WHEN i.g % 10 < ${KEYED_LABEL_RATE * 10} THEN 'keyed' END AS label_format
FROM identified i
LEFT JOIN seed_op o ON o.n = i.op_n
WINDOW unit_tries AS (PARTITION BY i.g ORDER BY i.n)
ORDER BY i.g, i.n
LIMIT $4`;

// The module's record as the settle path leaves it: status and revision from its last finished
// attempt (module-rule.ts), `new` when it only ever had interrupted or canceled ones.
const modulesSql = `
INSERT INTO modules (id, imei, status, current_revision, created_at, updated_at)
SELECT DISTINCT ON (module_id) module_id, imei,
       CASE WHEN outcome IN ('passed', 'failed') THEN outcome::text::module_status ELSE 'new' END,
       CASE WHEN outcome = 'passed' THEN revision_after
            WHEN outcome = 'failed' AND reported_imei IS NOT NULL THEN coalesce(revision_after, revision_before)
       END,
       min(started_at) OVER unit, max(ended_at) OVER unit
FROM seed_batch
WINDOW unit AS (PARTITION BY module_id)
ORDER BY module_id, outcome IN ('passed', 'failed') DESC, started_at DESC`;

const ATTEMPT_COLUMNS = `id, module_id, station_id, slot_id, adapter_id, package_id, operator_id, job_id,
  retry_of_id, started_at, ended_at, outcome, stage_reached, error_code, error_name, error_message,
  stage_timings, baud, bytes_written, revision_before, revision_after, reported_imei,
  operator_hint, engineer_hint, label_raw, label_format`;

const attemptsSql = `
INSERT INTO flash_attempts (${ATTEMPT_COLUMNS})
SELECT ${ATTEMPT_COLUMNS} FROM seed_batch ORDER BY started_at`;

/** Writes one day's units and attempts in one transaction; returns the attempts written. */
export async function seedDay(client: pg.Client, batch: DayBatch): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query(batchSql, [
      batch.dayStart,
      batch.firstUnit,
      batch.units,
      batch.attempts,
      batch.week,
      batch.hourLookup,
      batch.failureLookup,
      batch.jigFailure,
      batch.canceledFailure,
    ]);
    await client.query(modulesSql);
    const { rowCount } = await client.query(attemptsSql);
    await client.query('DROP TABLE seed_batch');
    await client.query('COMMIT');
    return rowCount ?? 0;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
