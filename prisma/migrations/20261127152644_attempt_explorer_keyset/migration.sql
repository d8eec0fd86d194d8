-- The attempt explorer (issue #10 §2) pages newest first by (started_at, id): this index serves
-- the unfiltered page and the CSV export's keyset batches; filtered pages use the existing
-- (station_id | slot_id | error_code | module_id, started_at) indexes.

-- CreateIndex
CREATE INDEX "flash_attempts_started_at_id_idx" ON "flash_attempts"("started_at" DESC, "id" DESC);
