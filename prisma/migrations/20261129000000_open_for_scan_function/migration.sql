-- Opening an attempt for a scan in one round trip (issue #12 §5, docs/speed-work.md §24): the
-- module on first sight, the blocked and already-passed refusals, the attempt and its start after
-- the slot's and the module's previous attempt, and a rework's audit event. It was an interactive
-- transaction of BEGIN + 3–4 statements + COMMIT, each a round trip holding a pooled connection;
-- 128 scans at once queued on them. Called as one statement, it is one transaction: a refusal
-- writes nothing, not even the module row.
--
-- PL/pgSQL takes a new snapshot for each statement (READ COMMITTED, VOLATILE), so the rules hold
-- as they did with separate statements: the module read sees a first scan that committed while
-- this one's INSERT waited for it, and the start update sees the previous attempt's end when the
-- attempt INSERT waited on the one-open-attempt indexes for it to be settled.
--
-- Refusals the caller turns into typed errors (packages/db/src/repositories/attempt-open.ts):
--   FS001 the module is quarantined or scrapped: DETAIL its status, HINT its reason;
--   FS002 its last pass was with this package and no rework was given: DETAIL
--         {"attemptId", "at"} of that pass;
--   23505 on flash_attempts_one_open_per_slot / _per_module: the slot or the module is busy;
--   23503: a station, slot, package, adapter, operator or retried attempt that does not exist.
CREATE FUNCTION "flash_open_for_scan"(
  p_attempt_id       uuid,
  p_new_module_id    uuid,
  p_imei             text,
  p_station_id       uuid,
  p_slot_id          uuid,
  p_package_id       uuid,
  p_adapter_id       uuid,
  p_operator_id      uuid,
  p_retry_of_id      uuid,
  p_baud             integer,
  p_label_raw        text,
  p_label_format     text,
  -- A rework (supervisor's override of ALREADY_PASSED): who, and the audit event's context.
  -- NULL label: no override, an earlier pass with this package refuses the scan.
  p_rework_actor_id    uuid,
  p_rework_actor_label text,
  p_rework_details     jsonb
) RETURNS SETOF "flash_attempts"
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  scanned record;
  -- The module's last pass, when it has passed (NULL otherwise).
  pass_id uuid;
  pass_package_id uuid;
  pass_at timestamptz;
BEGIN
  -- ON CONFLICT DO NOTHING: two first scans of one IMEI never race on the unique key.
  INSERT INTO "modules" ("id", "imei", "updated_at") VALUES (p_new_module_id, p_imei, now())
    ON CONFLICT ("imei") DO NOTHING;
  SELECT m."id", m."status"::text AS "status", m."status_reason" INTO scanned
    FROM "modules" m WHERE m."imei" = p_imei;

  IF scanned."status" IN ('quarantined', 'scrapped') THEN
    RAISE EXCEPTION 'module % is %', p_imei, scanned."status"
      USING ERRCODE = 'FS001', DETAIL = scanned."status", HINT = coalesce(scanned."status_reason", '');
  END IF;

  IF scanned."status" = 'passed' THEN
    SELECT a."id", a."package_id", coalesce(a."ended_at", a."started_at")
      INTO pass_id, pass_package_id, pass_at
      FROM "flash_attempts" a
     WHERE a."module_id" = scanned."id" AND a."outcome" = 'passed'
     ORDER BY a."ended_at" DESC, a."id" DESC LIMIT 1;
    IF pass_package_id = p_package_id AND p_rework_actor_label IS NULL THEN
      RAISE EXCEPTION 'module % already passed with this package', p_imei
        USING ERRCODE = 'FS002',
              DETAIL = json_build_object('attemptId', pass_id, 'at', pass_at)::text;
    END IF;
  END IF;

  INSERT INTO "flash_attempts" ("id", "job_id", "module_id", "station_id", "slot_id",
      "package_id", "adapter_id", "operator_id", "retry_of_id", "baud", "label_raw",
      "label_format", "outcome")
    VALUES (p_attempt_id, p_attempt_id::text, scanned."id", p_station_id, p_slot_id,
      p_package_id, p_adapter_id, p_operator_id, p_retry_of_id, p_baud, p_label_raw,
      p_label_format, 'running');

  IF pass_package_id = p_package_id THEN
    INSERT INTO "audit_events" ("actor_id", "actor_label", "action", "entity_type", "entity_id",
        "details")
      VALUES (p_rework_actor_id, p_rework_actor_label, 'flash.rework', 'module', p_imei,
        coalesce(p_rework_details, '{}'::jsonb) || jsonb_build_object('imei', p_imei,
          'packageId', p_package_id, 'attemptId', p_attempt_id,
          'passedAttemptId', pass_id));
  END IF;

  -- The start was taken before the INSERT, which may have waited for the slot's or the module's
  -- previous attempt to be settled: the record never shows two of a slot's or a module's attempts
  -- overlapping, so the start moves up to that attempt's end (the latest by start, index-served).
  RETURN QUERY UPDATE "flash_attempts" a SET "started_at" = GREATEST(a."started_at",
      (SELECT p."ended_at" FROM "flash_attempts" p
        WHERE p."slot_id" = p_slot_id AND p."id" <> a."id"
        ORDER BY p."started_at" DESC LIMIT 1),
      (SELECT p."ended_at" FROM "flash_attempts" p
        WHERE p."module_id" = scanned."id" AND p."id" <> a."id"
        ORDER BY p."started_at" DESC LIMIT 1))
    WHERE a."id" = p_attempt_id
    RETURNING a.*;
END;
$$;
