-- A record you can trust (issue #7): one stage vocabulary, packages identified by their digest,
-- the result's hints on the attempt, and at most one open attempt per module.
-- Our runner applies this file in one transaction (no BEGIN/COMMIT here).

-- ─── flash_stage: exactly packages/contracts FLASH_STAGES ───
-- Old values are converted: power_cycle → power, handshake and chip_check → brom,
-- flash_detect → da_connect, baud_switch → baud, reset → finish, the others keep their name.
CREATE TYPE "flash_stage_new" AS ENUM ('queued', 'package', 'preflight', 'power', 'brom', 'da_upload', 'da_connect', 'baud', 'format', 'write', 'verify', 'readback', 'fat_format', 'finish', 'postflight');
ALTER TABLE "flash_attempts" ALTER COLUMN "stage_reached" DROP DEFAULT;
ALTER TABLE "flash_attempts" ALTER COLUMN "stage_reached" TYPE "flash_stage_new" USING (
  CASE "stage_reached"::text
    WHEN 'power_cycle' THEN 'power'
    WHEN 'handshake' THEN 'brom'
    WHEN 'chip_check' THEN 'brom'
    WHEN 'flash_detect' THEN 'da_connect'
    WHEN 'baud_switch' THEN 'baud'
    WHEN 'reset' THEN 'finish'
    ELSE "stage_reached"::text
  END
)::"flash_stage_new";
ALTER TYPE "flash_stage" RENAME TO "flash_stage_old";
ALTER TYPE "flash_stage_new" RENAME TO "flash_stage";
DROP TYPE "flash_stage_old";
ALTER TABLE "flash_attempts" ALTER COLUMN "stage_reached" SET DEFAULT 'queued';

-- stage_timings keys follow the same list: the station's hyphenated names (da-upload) and the
-- old enum names are renamed, and times of stages that merged (handshake + chip_check) are added.
-- Only objects whose values are all numbers are touched.
UPDATE "flash_attempts" AS a
SET "stage_timings" = (
  SELECT jsonb_object_agg("stage", "ms")
  FROM (
    SELECT
      CASE replace("key", '-', '_')
        WHEN 'power_cycle' THEN 'power'
        WHEN 'handshake' THEN 'brom'
        WHEN 'chip_check' THEN 'brom'
        WHEN 'flash_detect' THEN 'da_connect'
        WHEN 'baud_switch' THEN 'baud'
        WHEN 'reset' THEN 'finish'
        ELSE replace("key", '-', '_')
      END AS "stage",
      sum(("value")::numeric) AS "ms"
    FROM jsonb_each(a."stage_timings")
    GROUP BY 1
  ) AS renamed
)
WHERE jsonb_typeof(a."stage_timings") = 'object'
  AND a."stage_timings" <> '{}'::jsonb
  AND NOT EXISTS (
    SELECT 1 FROM jsonb_each(a."stage_timings") AS t WHERE jsonb_typeof(t."value") <> 'number'
  );

-- ─── firmware_packages.digest: a package is identified by its digest ───
ALTER TABLE "firmware_packages" ADD COLUMN "digest" CHAR(64);

-- The server used to keep the digest as a firmware_files row named package.digest.
UPDATE "firmware_packages" AS p
SET "digest" = f."sha256"
FROM "firmware_files" AS f
WHERE f."package_id" = p."id" AND f."file_name" = 'package.digest';
DELETE FROM "firmware_files" WHERE "file_name" = 'package.digest';

-- A row recorded without a digest gets one derived from its id, which no station announces:
-- its history stays, and the next announcement of that folder records a new package.
UPDATE "firmware_packages"
SET "digest" = encode(sha256(convert_to('legacy-package:' || "id"::text, 'UTF8')), 'hex')
WHERE "digest" IS NULL;

-- Rows with the same digest are the same content (one folder under two names): keep the first
-- recorded, move the attempts onto it and drop the others (their file rows describe the same
-- content and go with them). No temporary table: the stock CLI may run these statements outside
-- one transaction.
UPDATE "flash_attempts" AS a SET "package_id" = m."keep_id"
FROM (
  SELECT "id" AS "drop_id",
         first_value("id") OVER (PARTITION BY "digest" ORDER BY "created_at", "id") AS "keep_id"
  FROM "firmware_packages"
) AS m
WHERE a."package_id" = m."drop_id" AND m."drop_id" <> m."keep_id";
DELETE FROM "firmware_packages" AS p
USING (
  SELECT "id" AS "drop_id",
         first_value("id") OVER (PARTITION BY "digest" ORDER BY "created_at", "id") AS "keep_id"
  FROM "firmware_packages"
) AS m
WHERE p."id" = m."drop_id" AND m."drop_id" <> m."keep_id";

ALTER TABLE "firmware_packages" ALTER COLUMN "digest" SET NOT NULL;
DROP INDEX "firmware_packages_name_revision_key";
CREATE UNIQUE INDEX "firmware_packages_digest_key" ON "firmware_packages"("digest");
CREATE INDEX "firmware_packages_name_revision_idx" ON "firmware_packages"("name", "revision");

-- ─── flash_attempts: the result's hints ───
ALTER TABLE "flash_attempts" ADD COLUMN "engineer_hint" TEXT,
ADD COLUMN "operator_hint" TEXT;

-- ─── Hand-written below: constraints Prisma's schema language cannot express. ───
-- docs/data-model.md lists them and why they exist.

-- The digest is the station's packageDigest: lower-case hex SHA-256.
ALTER TABLE "firmware_packages" ADD CONSTRAINT "firmware_packages_digest_hex"
  CHECK ("digest" ~ '^[0-9a-f]{64}$');

-- At most ONE open attempt per module. Before this rule a module could be open in two slots:
-- all but its newest open attempt are closed as interrupted, at the stage they reached.
UPDATE "flash_attempts" AS a
SET "outcome" = 'interrupted',
    "ended_at" = GREATEST(now(), a."started_at"),
    "error_message" = 'Closed by migration trusted_record: the module had a newer open attempt.'
WHERE a."ended_at" IS NULL
  AND EXISTS (
    SELECT 1 FROM "flash_attempts" AS b
    WHERE b."module_id" = a."module_id" AND b."ended_at" IS NULL
      AND (b."started_at", b."id") > (a."started_at", a."id")
  );
CREATE UNIQUE INDEX "flash_attempts_one_open_per_module" ON "flash_attempts" ("module_id")
  WHERE "ended_at" IS NULL;
