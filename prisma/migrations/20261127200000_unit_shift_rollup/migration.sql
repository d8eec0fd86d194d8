-- Per-unit per-shift roll-up (issue #10 §6, docs/analytics.md "Roll-up"): one row per module and
-- shift it had a finished attempt in, so a whole shift's yield reads ~50 000 rows already reduced
-- to units instead of sorting the shift's attempts by module on every request.

-- The shift definition the roll-up was built with: the server compares it with SHIFTS and
-- LINE_TIME_ZONE at start and rebuilds the roll-up when they differ. One row.
CREATE TABLE "unit_shift_definition" (
    "id"        INTEGER     PRIMARY KEY DEFAULT 1
                            CONSTRAINT "unit_shift_definition_one_row" CHECK ("id" = 1),
    "time_zone" TEXT        NOT NULL,
    -- [{"label": "06:00-14:00", "s": 360, "e": 840}, …]: minutes of the line's day, e < s wraps.
    "shifts"    JSONB       NOT NULL,
    "built_at"  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Derived data, rebuilt at will: no foreign keys (attempts hold them).
CREATE TABLE "unit_shifts" (
    "module_id"         UUID        NOT NULL,
    "shift_start"       TIMESTAMPTZ NOT NULL,
    -- The unit's first finished attempt in the shift (by start, then id) and where it ran.
    "started_at"        TIMESTAMPTZ(3) NOT NULL,
    "first_attempt_id"  UUID        NOT NULL,
    "station_id"        UUID        NOT NULL,
    "slot_id"           UUID        NOT NULL,
    "package_id"        UUID        NOT NULL,
    "operator_id"       UUID,
    "first_passed"      BOOLEAN     NOT NULL,
    "any_passed"        BOOLEAN     NOT NULL,
    "finished_attempts" INTEGER     NOT NULL,
    CONSTRAINT "unit_shifts_pkey" PRIMARY KEY ("module_id", "shift_start")
);
-- A shift's units are the rows whose first attempt started in it.
CREATE INDEX "unit_shifts_started_at_idx" ON "unit_shifts" ("started_at");

-- Each finished attempt with the start of the shift it began in. The same rule as the yield
-- query's groupBy=shift: the shift holding the local minute; one that wraps midnight belongs to
-- the day it began.
CREATE VIEW "unit_shift_attempts" AS
SELECT a."id", a."module_id", a."started_at", a."outcome", a."station_id", a."slot_id",
       a."package_id", a."operator_id",
       ((date_trunc('day', l.local)
         - CASE WHEN sh.s > sh.e AND l.minute < sh.e THEN interval '1 day' ELSE interval '0' END
         + sh.s * interval '1 minute') AT TIME ZONE d."time_zone") AS "shift_start"
FROM "flash_attempts" a
CROSS JOIN "unit_shift_definition" d
CROSS JOIN LATERAL (
    SELECT a."started_at" AT TIME ZONE d."time_zone" AS local,
           extract(hour FROM a."started_at" AT TIME ZONE d."time_zone")::int * 60
             + extract(minute FROM a."started_at" AT TIME ZONE d."time_zone")::int AS minute
) l
JOIN LATERAL jsonb_to_recordset(d."shifts") AS sh(s int, e int)
  ON CASE WHEN sh.s < sh.e THEN l.minute >= sh.s AND l.minute < sh.e
          ELSE l.minute >= sh.s OR l.minute < sh.e END
WHERE a."outcome" IN ('passed', 'failed');

-- What each unit_shifts row should hold. A filter on module_id and shift_start (the windows'
-- partition) is pushed below the window functions, so one unit's row costs an index lookup.
CREATE VIEW "unit_shift_rows" AS
SELECT r."module_id", r."shift_start", r."started_at", r."id" AS "first_attempt_id",
       r."station_id", r."slot_id", r."package_id", r."operator_id",
       r."outcome" = 'passed' AS "first_passed", r."any_passed", r."finished_attempts"
FROM (
    SELECT u.*,
           row_number() OVER (PARTITION BY u."module_id", u."shift_start"
                              ORDER BY u."started_at", u."id") AS n,
           bool_or(u."outcome" = 'passed') OVER (PARTITION BY u."module_id", u."shift_start") AS "any_passed",
           count(*) OVER (PARTITION BY u."module_id", u."shift_start")::int AS "finished_attempts"
    FROM "unit_shift_attempts" u
) r
WHERE r.n = 1;

-- Kept current in the transaction that writes the attempt, whoever writes it (the result
-- recorder, the reconciler, a fixture): the unit's row is counted again from its attempts, so
-- an older attempt settled late (a journal replay) takes the first-attempt fields.
CREATE FUNCTION "unit_shift_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_shift timestamptz;
BEGIN
    -- A rebuild holds this row while it swaps the definition: wait for it, and make it wait.
    PERFORM 1 FROM "unit_shift_definition" WHERE "id" = 1 FOR SHARE;
    -- Settles of one module in turn: each recount then sees the attempts the others committed.
    PERFORM 1 FROM "modules" WHERE "id" = NEW."module_id" FOR NO KEY UPDATE;
    SELECT u."shift_start" INTO v_shift FROM "unit_shift_attempts" u WHERE u."id" = NEW."id";
    IF v_shift IS NULL THEN
        RETURN NULL; -- no definition row (never after the migration)
    END IF;
    INSERT INTO "unit_shifts"
    SELECT * FROM "unit_shift_rows" r
    WHERE r."module_id" = NEW."module_id" AND r."shift_start" = v_shift
    ON CONFLICT ("module_id", "shift_start") DO UPDATE SET
        "started_at" = EXCLUDED."started_at",
        "first_attempt_id" = EXCLUDED."first_attempt_id",
        "station_id" = EXCLUDED."station_id",
        "slot_id" = EXCLUDED."slot_id",
        "package_id" = EXCLUDED."package_id",
        "operator_id" = EXCLUDED."operator_id",
        "first_passed" = EXCLUDED."first_passed",
        "any_passed" = EXCLUDED."any_passed",
        "finished_attempts" = EXCLUDED."finished_attempts";
    RETURN NULL;
END $$;

-- Finished attempts only; an attempt is never un-finished, so a row never has to go.
CREATE TRIGGER "flash_attempts_unit_shift_insert"
    AFTER INSERT ON "flash_attempts"
    FOR EACH ROW WHEN (NEW."outcome" IN ('passed', 'failed'))
    EXECUTE FUNCTION "unit_shift_refresh"();
CREATE TRIGGER "flash_attempts_unit_shift_update"
    AFTER UPDATE OF "outcome", "started_at", "station_id", "slot_id", "package_id", "operator_id"
    ON "flash_attempts"
    FOR EACH ROW WHEN (NEW."outcome" IN ('passed', 'failed'))
    EXECUTE FUNCTION "unit_shift_refresh"();

-- Swaps the definition and rebuilds the whole roll-up with one INSERT … SELECT, atomically
-- (readers wait on the TRUNCATE's lock, not see a half-built table). Returns the rows written.
CREATE FUNCTION "unit_shifts_rebuild"(p_time_zone text, p_shifts jsonb) RETURNS bigint
LANGUAGE plpgsql SET "work_mem" = '256MB' AS $$
DECLARE
    n bigint;
BEGIN
    INSERT INTO "unit_shift_definition" ("id", "time_zone", "shifts") VALUES (1, p_time_zone, p_shifts)
    ON CONFLICT ("id") DO UPDATE SET "time_zone" = EXCLUDED."time_zone",
                                     "shifts" = EXCLUDED."shifts", "built_at" = now();
    TRUNCATE "unit_shifts";
    INSERT INTO "unit_shifts" SELECT * FROM "unit_shift_rows";
    GET DIAGNOSTICS n = ROW_COUNT;
    -- Statistics for the new rows now, not when (or if) autovacuum gets to them.
    ANALYZE "unit_shifts";
    RETURN n;
END $$;

-- The backfill, with the default SHIFTS in UTC; a server configured otherwise rebuilds at start.
SELECT "unit_shifts_rebuild"('UTC', '[{"label": "06:00-14:00", "s": 360, "e": 840},
  {"label": "14:00-22:00", "s": 840, "e": 1320}, {"label": "22:00-06:00", "s": 1320, "e": 360}]');
