// Our offline equivalent of `prisma migrate deploy`. Prisma 7's migrate needs a native engine
// that cannot be downloaded here, so we apply prisma/migrations ourselves and record each one
// in Prisma's own `_prisma_migrations` table exactly as Prisma does, so the stock CLI sees them
// as applied. Unlike Prisma, each migration runs in a transaction with its record, so a failed
// migration leaves nothing half-applied behind.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { MigrationFailedError } from '../errors';
import { readMigrations, type MigrationFile } from './migration-files';

/** The advisory lock key Prisma's schema engine takes, so we and the stock CLI never overlap. */
const PRISMA_MIGRATE_LOCK = 72707369;

// Prisma's own DDL for the table (schema-engine, Postgres flavour).
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  log?: (message: string) => void;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Applies every pending migration in name order; returns the names applied. */
export async function applyMigrations(
  client: pg.Client,
  options: ApplyMigrationsOptions = {},
): Promise<string[]> {
  const log = options.log ?? (() => {});
  const migrations = readMigrations(options.migrationsDir);
  await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
  try {
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const pending = migrations.filter((migration) => !isApplied(migration, rows, log));
    for (const migration of pending) {
      await applyOne(client, migration);
      log(`applied migration ${migration.name}`);
    }
    return pending.map((migration) => migration.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]);
  }
}

function isApplied(
  migration: MigrationFile,
  rows: AppliedRow[],
  log: (message: string) => void,
): boolean {
  const records = rows.filter(
    (row) => row.migration_name === migration.name && row.rolled_back_at === null,
  );
  if (records.length === 0) return false;
  if (records.some((row) => row.finished_at === null)) {
    // Left by the stock CLI after a failure; Prisma also refuses to go on (P3009).
    throw new Error(
      `Migration ${migration.name} is recorded as started but not finished: fix the database, then ` +
        `mark it with \`prisma migrate resolve --rolled-back ${migration.name}\` (see packages/db/README.md).`,
    );
  }
  if (!records.some((row) => row.checksum === migration.checksum)) {
    log(`warning: migration ${migration.name} was edited after it was applied (checksum differs)`);
  }
  return true;
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    const started = await client.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
      [id, migration.checksum, migration.name, started.rows[0]?.now],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw new MigrationFailedError(migration.name, { cause: error });
  }
}
