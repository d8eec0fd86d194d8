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

-- What each unit_shifts row should hold: what the rebuild writes, and what tests compare with.
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
-- recorder, a fixture), one row per finished attempt in O(1): counted in, and its fields taken
-- as the unit's first when it started before the row's first, so an older attempt settled late
-- (a journal replay) takes the first-attempt fields. The upsert's row lock makes two writers of
-- one unit take turns, each adding to what the other committed. A settled attempt never changes
-- (settle stores a result once); one changed by hand needs unit_shifts_rebuild.
CREATE FUNCTION "unit_shift_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_shift timestamptz;
    v_passed boolean := NEW."outcome" = 'passed';
BEGIN
    -- A rebuild holds this row while it swaps the definition: wait for it, and make it wait.
    PERFORM 1 FROM "unit_shift_definition" WHERE "id" = 1 FOR SHARE;
    SELECT u."shift_start" INTO v_shift FROM "unit_shift_attempts" u WHERE u."id" = NEW."id";
    IF v_shift IS NULL THEN
        RETURN NULL; -- no definition row (never after the migration)
    END IF;
    INSERT INTO "unit_shifts" AS r
    VALUES (NEW."module_id", v_shift, NEW."started_at", NEW."id", NEW."station_id", NEW."slot_id",
            NEW."package_id", NEW."operator_id", v_passed, v_passed, 1)
    ON CONFLICT ("module_id", "shift_start") DO UPDATE SET
        "finished_attempts" = r."finished_attempts" + 1,
        "any_passed" = r."any_passed" OR v_passed,
        -- Every SET reads the row as it was, so one test decides all the first-attempt fields.
        "started_at" = CASE WHEN (NEW."started_at", NEW."id") < (r."started_at", r."first_attempt_id")
                            THEN NEW."started_at" ELSE r."started_at" END,
        "first_attempt_id" = CASE WHEN (NEW."started_at", NEW."id") < (r."started_at", r."first_attempt_id")
                                  THEN NEW."id" ELSE r."first_attempt_id" END,
        "station_id" = CASE WHEN (NEW."started_at", NEW."id") < (r."started_at", r."first_attempt_id")
                            THEN NEW."station_id" ELSE r."station_id" END,
        "slot_id" = CASE WHEN (NEW."started_at", NEW."id") < (r."started_at", r."first_attempt_id")
                         THEN NEW."slot_id" ELSE r."slot_id" END,
        "package_id" = CASE WHEN (NEW."started_at", NEW."id") < (r."started_at", r."first_attempt_id")
                            THEN NEW."package_id" ELSE r."package_id" END,
        "operator_id" = CASE WHEN (NEW."started_at", NEW."id") < (r."started_at", r."first_attempt_id")
                             THEN NEW."operator_id" ELSE r."operator_id" END,
        "first_passed" = CASE WHEN (NEW."started_at", NEW."id") < (r."started_at", r."first_attempt_id")
                              THEN v_passed ELSE r."first_passed" END;
    RETURN NULL;
END $$;

-- When an attempt becomes finished: written so, or settled from running.
CREATE TRIGGER "flash_attempts_unit_shift_insert"
    AFTER INSERT ON "flash_attempts"
    FOR EACH ROW WHEN (NEW."outcome" IN ('passed', 'failed'))
    EXECUTE FUNCTION "unit_shift_refresh"();
CREATE TRIGGER "flash_attempts_unit_shift_settle"
    AFTER UPDATE OF "outcome" ON "flash_attempts"
    FOR EACH ROW WHEN (OLD."outcome" NOT IN ('passed', 'failed')
                       AND NEW."outcome" IN ('passed', 'failed'))
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
