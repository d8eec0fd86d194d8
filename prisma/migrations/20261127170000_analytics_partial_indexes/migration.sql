-- Speed at 10 M attempts (issue #10 §6, docs/benchmarks.md). Partial indexes, hand-written
-- (Prisma's schema language cannot express them), listed in docs/data-model.md.

-- The failure Pareto and the explorer's failed pages read only failed attempts (about one in
-- ten): this index holds them in the explorer's keyset order with every column the Pareto groups
-- by, so a 30-day Pareto is an index-only scan of its failures instead of a walk through all
-- the window's attempts.
CREATE INDEX "flash_attempts_failed_idx" ON "flash_attempts" ("started_at" DESC, "id" DESC)
  INCLUDE ("error_code", "error_name", "stage_reached", "station_id", "slot_id", "package_id")
  WHERE "outcome" = 'failed';

-- The explorer filtered by a rare outcome (interrupted, canceled, running: a few in a thousand)
-- would otherwise walk the whole time index for one page.
CREATE INDEX "flash_attempts_unjudged_idx" ON "flash_attempts" ("outcome", "started_at" DESC, "id" DESC)
  WHERE "outcome" IN ('interrupted', 'canceled', 'running');
