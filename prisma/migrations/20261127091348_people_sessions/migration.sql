-- People and sessions (issue #8, first slice): users sign in by username (password) or badge,
-- sessions live in Postgres so a Redis restart signs nobody out. Applied in one transaction.

-- AlterTable: users made before this migration (none in practice: nothing created them) get
-- their e-mail as username, so NOT NULL holds.
ALTER TABLE "users" ADD COLUMN     "badge_lookup" CHAR(64),
ADD COLUMN     "username" VARCHAR(100),
ALTER COLUMN "email" DROP NOT NULL;
UPDATE "users" SET "username" = lower(left("email", 100));
ALTER TABLE "users" ALTER COLUMN "username" SET NOT NULL;

-- CreateTable
CREATE TABLE "sessions" (
    "id" CHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "station_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" VARCHAR(100) NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE UNIQUE INDEX "users_badge_lookup_key" ON "users"("badge_lookup");

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written constraints (docs/data-model.md): usernames are compared lower-case, and both
-- hashes are lower-case hex SHA-256 sized values.
ALTER TABLE "users" ADD CONSTRAINT "users_username_lower_case" CHECK ("username" = lower("username"));
ALTER TABLE "users" ADD CONSTRAINT "users_badge_lookup_hex" CHECK ("badge_lookup" ~ '^[0-9a-f]{64}$');
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_id_hex" CHECK ("id" ~ '^[0-9a-f]{64}$');
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_expire_after_creation" CHECK ("expires_at" > "created_at");
