-- Yield over a window (issue #10 §6, docs/benchmarks.md): a shift at 10 M attempts holds some
-- 55 000 attempts, and reading their rows from the table (stage timings, hints, a few hundred
-- bytes each) was a third of the query. This index carries every column the yield reads, so the
-- window is an index-only scan. Hand-written (Prisma's schema language has no INCLUDE), listed in
-- docs/data-model.md. It has the plain (started_at) index's key, which it replaces.
CREATE INDEX "flash_attempts_window_idx" ON "flash_attempts" ("started_at")
  INCLUDE ("module_id", "id", "outcome", "station_id", "slot_id", "package_id", "operator_id");

DROP INDEX "flash_attempts_started_at_idx";
