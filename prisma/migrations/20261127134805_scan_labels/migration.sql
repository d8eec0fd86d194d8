-- Labels as scanners send them (issue #9 §4): each attempt keeps the raw label and the format
-- its IMEI was read with.

-- AlterTable
ALTER TABLE "flash_attempts" ADD COLUMN     "label_format" VARCHAR(64),
ADD COLUMN     "label_raw" VARCHAR(512);
