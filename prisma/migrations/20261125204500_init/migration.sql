-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('operator', 'supervisor', 'engineer', 'admin');

-- CreateEnum
CREATE TYPE "module_status" AS ENUM ('new', 'passed', 'failed', 'quarantined', 'scrapped');

-- CreateEnum
CREATE TYPE "attempt_outcome" AS ENUM ('running', 'passed', 'failed', 'interrupted', 'canceled');

-- CreateEnum
CREATE TYPE "flash_stage" AS ENUM ('queued', 'preflight', 'power_cycle', 'handshake', 'chip_check', 'da_upload', 'flash_detect', 'baud_switch', 'format', 'write', 'verify', 'reset', 'postflight');

-- CreateEnum
CREATE TYPE "slot_status" AS ENUM ('active', 'suspect', 'disabled');

-- CreateEnum
CREATE TYPE "power_control" AS ENUM ('manual', 'dtr', 'rts', 'emulator');

-- CreateEnum
CREATE TYPE "firmware_file_kind" AS ENUM ('config', 'bootloader', 'bootloader_ext', 'rom', 'viva', 'other');

-- CreateTable
CREATE TABLE "stations" (
    "id" UUID NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "hostname" VARCHAR(255),
    "last_seen_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slots" (
    "id" UUID NOT NULL,
    "station_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "label" VARCHAR(64) NOT NULL,
    "status" "slot_status" NOT NULL DEFAULT 'active',
    "power_control" "power_control" NOT NULL DEFAULT 'manual',
    "status_reason" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "adapters" (
    "id" UUID NOT NULL,
    "identity" VARCHAR(255) NOT NULL,
    "serial_number" VARCHAR(128),
    "usb_path" VARCHAR(255),
    "vendor_id" VARCHAR(8),
    "product_id" VARCHAR(8),
    "description" VARCHAR(255),
    "last_seen_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "adapters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "adapter_bindings" (
    "id" UUID NOT NULL,
    "slot_id" UUID NOT NULL,
    "adapter_id" UUID NOT NULL,
    "bound_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unbound_at" TIMESTAMPTZ(3),

    CONSTRAINT "adapter_bindings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "firmware_packages" (
    "id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "revision" VARCHAR(200) NOT NULL,
    "platform" VARCHAR(32) NOT NULL,
    "allowed_flash_ids" VARCHAR(32)[],
    "uploaded_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "firmware_packages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "firmware_files" (
    "id" UUID NOT NULL,
    "package_id" UUID NOT NULL,
    "kind" "firmware_file_kind" NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "load_address" BIGINT,

    CONSTRAINT "firmware_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "modules" (
    "id" UUID NOT NULL,
    "imei" CHAR(15) NOT NULL,
    "status" "module_status" NOT NULL DEFAULT 'new',
    "current_revision" VARCHAR(200),
    "status_reason" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "modules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flash_attempts" (
    "id" UUID NOT NULL,
    "module_id" UUID NOT NULL,
    "station_id" UUID NOT NULL,
    "slot_id" UUID NOT NULL,
    "adapter_id" UUID,
    "package_id" UUID NOT NULL,
    "operator_id" UUID,
    "job_id" VARCHAR(255),
    "retry_of_id" UUID,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "outcome" "attempt_outcome" NOT NULL DEFAULT 'running',
    "stage_reached" "flash_stage" NOT NULL DEFAULT 'queued',
    "error_code" INTEGER,
    "error_name" VARCHAR(100),
    "error_message" TEXT,
    "stage_timings" JSONB,
    "baud" INTEGER,
    "bytes_written" BIGINT,
    "revision_before" VARCHAR(200),
    "revision_after" VARCHAR(200),
    "reported_imei" VARCHAR(32),
    "protocol_trace" JSONB,

    CONSTRAINT "flash_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "display_name" VARCHAR(200) NOT NULL,
    "role" "user_role" NOT NULL,
    "password_hash" VARCHAR(255),
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "role" "user_role" NOT NULL,
    "station_id" UUID,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_label" VARCHAR(255) NOT NULL,
    "action" VARCHAR(100) NOT NULL,
    "entity_type" VARCHAR(50) NOT NULL,
    "entity_id" VARCHAR(255),
    "details" JSONB,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "stations_code_key" ON "stations"("code");

-- CreateIndex
CREATE UNIQUE INDEX "slots_station_id_index_key" ON "slots"("station_id", "index");

-- CreateIndex
CREATE UNIQUE INDEX "slots_station_id_label_key" ON "slots"("station_id", "label");

-- CreateIndex
CREATE UNIQUE INDEX "adapters_identity_key" ON "adapters"("identity");

-- CreateIndex
CREATE INDEX "adapter_bindings_slot_id_bound_at_idx" ON "adapter_bindings"("slot_id", "bound_at" DESC);

-- CreateIndex
CREATE INDEX "adapter_bindings_adapter_id_bound_at_idx" ON "adapter_bindings"("adapter_id", "bound_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "firmware_packages_name_revision_key" ON "firmware_packages"("name", "revision");

-- CreateIndex
CREATE INDEX "firmware_files_sha256_idx" ON "firmware_files"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "firmware_files_package_id_file_name_key" ON "firmware_files"("package_id", "file_name");

-- CreateIndex
CREATE UNIQUE INDEX "modules_imei_key" ON "modules"("imei");

-- CreateIndex
CREATE INDEX "modules_status_updated_at_idx" ON "modules"("status", "updated_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "flash_attempts_job_id_key" ON "flash_attempts"("job_id");

-- CreateIndex
CREATE INDEX "flash_attempts_module_id_started_at_idx" ON "flash_attempts"("module_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "flash_attempts_slot_id_started_at_idx" ON "flash_attempts"("slot_id", "started_at");

-- CreateIndex
CREATE INDEX "flash_attempts_station_id_started_at_idx" ON "flash_attempts"("station_id", "started_at");

-- CreateIndex
CREATE INDEX "flash_attempts_package_id_started_at_idx" ON "flash_attempts"("package_id", "started_at");

-- CreateIndex
CREATE INDEX "flash_attempts_error_code_started_at_idx" ON "flash_attempts"("error_code", "started_at");

-- CreateIndex
CREATE INDEX "flash_attempts_started_at_idx" ON "flash_attempts"("started_at");

-- CreateIndex
CREATE INDEX "flash_attempts_adapter_id_started_at_idx" ON "flash_attempts"("adapter_id", "started_at");

-- CreateIndex
CREATE INDEX "flash_attempts_retry_of_id_idx" ON "flash_attempts"("retry_of_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "audit_events_entity_type_entity_id_at_idx" ON "audit_events"("entity_type", "entity_id", "at" DESC);

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- CreateIndex
CREATE INDEX "audit_events_action_at_idx" ON "audit_events"("action", "at");

-- AddForeignKey
ALTER TABLE "slots" ADD CONSTRAINT "slots_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adapter_bindings" ADD CONSTRAINT "adapter_bindings_slot_id_fkey" FOREIGN KEY ("slot_id") REFERENCES "slots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adapter_bindings" ADD CONSTRAINT "adapter_bindings_adapter_id_fkey" FOREIGN KEY ("adapter_id") REFERENCES "adapters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "firmware_packages" ADD CONSTRAINT "firmware_packages_uploaded_by_id_fkey" FOREIGN KEY ("uploaded_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "firmware_files" ADD CONSTRAINT "firmware_files_package_id_fkey" FOREIGN KEY ("package_id") REFERENCES "firmware_packages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_module_id_fkey" FOREIGN KEY ("module_id") REFERENCES "modules"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_slot_id_fkey" FOREIGN KEY ("slot_id") REFERENCES "slots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_adapter_id_fkey" FOREIGN KEY ("adapter_id") REFERENCES "adapters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_package_id_fkey" FOREIGN KEY ("package_id") REFERENCES "firmware_packages"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_retry_of_id_fkey" FOREIGN KEY ("retry_of_id") REFERENCES "flash_attempts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- ─── Hand-written below: constraints Prisma's schema language cannot express. ───
-- Keep them when regenerating. docs/data-model.md lists them and why they exist.

-- An IMEI is exactly 15 decimal digits.
ALTER TABLE "modules" ADD CONSTRAINT "modules_imei_15_digits" CHECK ("imei" ~ '^[0-9]{15}$');

-- An attempt is open exactly while it is running, and it cannot end before it starts.
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_open_iff_running"
  CHECK (("ended_at" IS NULL) = ("outcome" = 'running'));
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_ends_after_start"
  CHECK ("ended_at" IS NULL OR "ended_at" >= "started_at");
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_not_own_retry"
  CHECK ("retry_of_id" IS NULL OR "retry_of_id" <> "id");
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_baud_positive"
  CHECK ("baud" IS NULL OR "baud" > 0);
ALTER TABLE "flash_attempts" ADD CONSTRAINT "flash_attempts_bytes_not_negative"
  CHECK ("bytes_written" IS NULL OR "bytes_written" >= 0);

-- At most ONE open attempt per slot (one job at a time per slot, design §5).
CREATE UNIQUE INDEX "flash_attempts_one_open_per_slot" ON "flash_attempts" ("slot_id")
  WHERE "ended_at" IS NULL;

-- An adapter serves at most one slot at a time and a slot has at most one current adapter.
CREATE UNIQUE INDEX "adapter_bindings_one_current_per_slot" ON "adapter_bindings" ("slot_id")
  WHERE "unbound_at" IS NULL;
CREATE UNIQUE INDEX "adapter_bindings_one_current_per_adapter" ON "adapter_bindings" ("adapter_id")
  WHERE "unbound_at" IS NULL;
ALTER TABLE "adapter_bindings" ADD CONSTRAINT "adapter_bindings_unbound_after_bound"
  CHECK ("unbound_at" IS NULL OR "unbound_at" >= "bound_at");

ALTER TABLE "slots" ADD CONSTRAINT "slots_index_not_negative" CHECK ("index" >= 0);

-- Hashes are stored as lower-case hex so that lookups compare like with like.
ALTER TABLE "firmware_files" ADD CONSTRAINT "firmware_files_sha256_hex"
  CHECK ("sha256" ~ '^[0-9a-f]{64}$');
ALTER TABLE "firmware_files" ADD CONSTRAINT "firmware_files_size_not_negative"
  CHECK ("size_bytes" >= 0);
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_key_hash_hex" CHECK ("key_hash" ~ '^[0-9a-f]{64}$');

-- E-mail addresses are unique case-insensitively because they are stored lower-case.
ALTER TABLE "users" ADD CONSTRAINT "users_email_lower_case" CHECK ("email" = lower("email"));
