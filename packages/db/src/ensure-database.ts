// `ensureDatabase(url)`: what the start and test commands call before anything touches the
// database. Creates the database when it is missing (through the `postgres` maintenance
// database), then applies pending migrations. Connection failures become one clear sentence.
import pg from 'pg';
import { parseDatabaseUrl, type ConnectionFields } from './connection-url';
import { applyMigrations } from './migrations/apply-migrations';
import { toUnavailableError } from './unavailable';

export interface EnsureDatabaseOptions {
  log?: (message: string) => void;
  /** Defaults to prisma/migrations at the repository root. */
  migrationsDir?: string;
}

export interface EnsureDatabaseResult {
  created: boolean;
  applied: string[];
}

// CREATE DATABASE racing another CREATE of the same name fails with one of these.
const DUPLICATE_DATABASE = new Set(['42P04', '23505']);

export async function ensureDatabase(
  url: string,
  options: EnsureDatabaseOptions = {},
): Promise<EnsureDatabaseResult> {
  const fields = parseDatabaseUrl(url);
  const log = options.log ?? (() => {});
  const created = await createDatabaseIfMissing(fields, url, log);
  const client = new pg.Client(fields);
  try {
    await connect(client, url);
    const applied = await applyMigrations(client, { log, migrationsDir: options.migrationsDir });
    if (applied.length === 0) log(`database ${fields.database} is up to date`);
    return { created, applied };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Connects to the `postgres` maintenance database and creates `fields.database` if absent. */
export async function createDatabaseIfMissing(
  fields: ConnectionFields,
  url: string,
  log: (message: string) => void = () => {},
): Promise<boolean> {
  const admin = new pg.Client({ ...fields, database: 'postgres' });
  try {
    await connect(admin, url);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      fields.database,
    ]);
    if (rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE ${quoteIdentifier(fields.database)}`);
    } catch (error) {
      // Another process created it between our check and our CREATE: fine.
      if (DUPLICATE_DATABASE.has((error as { code?: string }).code ?? '')) return false;
      throw error;
    }
    log(`created database ${fields.database}`);
    return true;
  } finally {
    await admin.end().catch(() => {});
  }
}

export async function connect(client: pg.Client, url: string): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    throw toUnavailableError(error, url) ?? error;
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
