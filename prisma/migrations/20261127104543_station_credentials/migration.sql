-- AlterTable
ALTER TABLE "stations" ADD COLUMN     "credential_issued_at" TIMESTAMPTZ(3),
ADD COLUMN     "redis_password_sha256" CHAR(64),
ADD COLUMN     "signing_key" CHAR(64);

-- Hand-written: a credential is whole or absent, and both values are lower-case hex SHA-256 sized.
ALTER TABLE "stations" ADD CONSTRAINT "stations_credential_whole" CHECK (
  ("signing_key" IS NULL AND "redis_password_sha256" IS NULL AND "credential_issued_at" IS NULL)
  OR ("signing_key" ~ '^[0-9a-f]{64}$' AND "redis_password_sha256" ~ '^[0-9a-f]{64}$'
      AND "credential_issued_at" IS NOT NULL)
);
