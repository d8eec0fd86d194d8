-- CreateTable
CREATE TABLE "attribution_decisions" (
    "id" UUID NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "module_id" UUID,
    "slot_id" UUID,
    "reason" VARCHAR(500) NOT NULL,
    "evidence_attempt_ids" UUID[],
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),
    "released_by_id" UUID,
    "released_by" VARCHAR(255),
    "release_reason" VARCHAR(500),

    CONSTRAINT "attribution_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "attribution_decisions_module_id_decided_at_idx" ON "attribution_decisions"("module_id", "decided_at" DESC);

-- CreateIndex
CREATE INDEX "attribution_decisions_slot_id_decided_at_idx" ON "attribution_decisions"("slot_id", "decided_at" DESC);

-- AddForeignKey
ALTER TABLE "attribution_decisions" ADD CONSTRAINT "attribution_decisions_module_id_fkey" FOREIGN KEY ("module_id") REFERENCES "modules"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attribution_decisions" ADD CONSTRAINT "attribution_decisions_slot_id_fkey" FOREIGN KEY ("slot_id") REFERENCES "slots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attribution_decisions" ADD CONSTRAINT "attribution_decisions_released_by_id_fkey" FOREIGN KEY ("released_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (docs/data-model.md): a decision is about a module or a slot, the one its kind names.
ALTER TABLE "attribution_decisions" ADD CONSTRAINT "attribution_decisions_kind_subject"
  CHECK (("kind" = 'module.quarantined' AND "module_id" IS NOT NULL AND "slot_id" IS NULL)
      OR ("kind" = 'slot.suspect' AND "slot_id" IS NOT NULL AND "module_id" IS NULL));

-- Hand-written: released once, with who released it.
ALTER TABLE "attribution_decisions" ADD CONSTRAINT "attribution_decisions_release_whole"
  CHECK (("released_at" IS NULL AND "released_by" IS NULL)
      OR ("released_at" IS NOT NULL AND "released_by" IS NOT NULL AND "released_at" >= "decided_at"));

-- Hand-written: at most one open decision per module and per slot.
CREATE UNIQUE INDEX "attribution_decisions_one_open_per_module" ON "attribution_decisions" ("module_id")
  WHERE "released_at" IS NULL AND "module_id" IS NOT NULL;
CREATE UNIQUE INDEX "attribution_decisions_one_open_per_slot" ON "attribution_decisions" ("slot_id")
  WHERE "released_at" IS NULL AND "slot_id" IS NOT NULL;

-- Hand-written (issue #9 §1): a failed attempt is retried at most once, so a result delivered
-- twice can never open a second retry, whichever server instance stores it.
CREATE UNIQUE INDEX "flash_attempts_one_retry_per_attempt" ON "flash_attempts" ("retry_of_id")
  WHERE "retry_of_id" IS NOT NULL;
