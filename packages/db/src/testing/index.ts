// @station/db/testing: a throw-away, fully migrated database per test suite on the real Postgres.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrismaClient } from '../client';
import { parseDatabaseUrl, withDatabase } from '../connection-url';
import { connect, ensureDatabase, quoteIdentifier } from '../ensure-database';
import type { PrismaClient } from '../generated/prisma/client';

export {
  databaseFingerprint,
  type DatabaseFingerprint,
  type FingerprintOptions,
} from './fingerprint';
export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  /** Disconnects the client, ends every other connection to the database and drops it. */
  drop(): Promise<void>;
}

/** Where test databases are made: the server named by options, else local Postgres. */
export const DEFAULT_TEST_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function createTestDatabase(
  options: { serverUrl?: string; migrationsDir?: string } = {},
): Promise<TestDatabase> {
  const name = `flashstation_test_${randomBytes(6).toString('hex')}`;
  const url = withDatabase(options.serverUrl ?? DEFAULT_TEST_SERVER_URL, name);
  await ensureDatabase(url, { migrationsDir: options.migrationsDir });
  const prisma = createPrismaClient(url);
  let dropped = false;
  return {
    url,
    prisma,
    async drop() {
      if (dropped) return;
      dropped = true;
      await prisma.$disconnect();
      await dropDatabase(url);
    },
  };
}

/** Drops the database named in `url`, terminating its connections first. */
export async function dropDatabase(url: string): Promise<void> {
  const fields = parseDatabaseUrl(url);
  const admin = new pg.Client({ ...fields, database: 'postgres' });
  await connect(admin, url);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(fields.database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
