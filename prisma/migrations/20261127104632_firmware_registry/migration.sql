-- Firmware registry (issue #8 §6): uploaded packages are stored as blobs (stored_at), a
-- Download Agent may come with them, and activations say which package new scans flash.

-- AlterEnum
ALTER TYPE "firmware_file_kind" ADD VALUE 'download_agent';

-- AlterTable
ALTER TABLE "firmware_packages" ADD COLUMN     "stored_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "firmware_activations" (
    "id" BIGSERIAL NOT NULL,
    "package_id" UUID NOT NULL,
    "station_id" UUID,
    "activated_by_id" UUID,
    "activated_by_label" VARCHAR(255) NOT NULL,
    "activated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "firmware_activations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "firmware_activations_station_id_activated_at_idx" ON "firmware_activations"("station_id", "activated_at" DESC);

-- CreateIndex
CREATE INDEX "firmware_activations_package_id_idx" ON "firmware_activations"("package_id");

-- AddForeignKey
ALTER TABLE "firmware_activations" ADD CONSTRAINT "firmware_activations_package_id_fkey" FOREIGN KEY ("package_id") REFERENCES "firmware_packages"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "firmware_activations" ADD CONSTRAINT "firmware_activations_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "firmware_activations" ADD CONSTRAINT "firmware_activations_activated_by_id_fkey" FOREIGN KEY ("activated_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Hand-written (docs/data-model.md): the activation history is append-only like the audit log.
-- Which package a station flashed when is answered from these rows, so none may change or vanish.
CREATE FUNCTION "firmware_activations_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'firmware_activations is append-only: % is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Activate a package again instead of changing an activation.';
END;
$$;

CREATE TRIGGER "firmware_activations_append_only"
  BEFORE UPDATE OR DELETE ON "firmware_activations"
  FOR EACH ROW EXECUTE FUNCTION "firmware_activations_refuse_change"();

CREATE TRIGGER "firmware_activations_no_truncate"
  BEFORE TRUNCATE ON "firmware_activations"
  FOR EACH STATEMENT EXECUTE FUNCTION "firmware_activations_refuse_change"();
