// A fresh migrated database for a test that may not import @station/db (the dashboard's, or one
// on a private Postgres), made by the project's own migrate CLI in a separate process.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { asProcessEnv, baseChildEnv } from './env';
import { repoRoot } from './repo';

const run = promisify(execFile);

/** The project's Postgres service (trust auth for the postgres user), as its tests use it. */
export const LOCAL_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface MigratedDatabase {
  name: string;
  url: string;
  /** Drops the database, ending its connections first. Safe to call twice. */
  drop(): Promise<void>;
}

const commandError = (what: string) => (error: Error & { stderr?: string; stdout?: string }) => {
  const detail = `${error.stderr ?? ''}${error.stdout ?? ''}`.trim() || error.message;
  throw new Error(`${what}: ${detail}`, { cause: error });
};

/** Creates `flashstation_test_<hex>` on `serverUrl` and applies every migration. */
export async function createMigratedDatabase(
  serverUrl = LOCAL_POSTGRES_URL,
): Promise<MigratedDatabase> {
  const name = `flashstation_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  let dropped = false;
  const database: MigratedDatabase = {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await run(
        'psql',
        [
          admin.toString(),
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`,
        ],
        { env: asProcessEnv({ ...baseChildEnv(), PGCONNECT_TIMEOUT: '10' }) },
      ).catch(commandError(`dropping test database ${name} failed`));
    },
  };
  try {
    await run(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'packages/db/src/cli/migrate.cli.ts')],
      {
        cwd: repoRoot,
        env: asProcessEnv({ ...baseChildEnv(), DATABASE_URL: database.url }),
        timeout: 120_000,
      },
    ).catch(commandError(`migrating test database ${name} failed`));
  } catch (error) {
    await database.drop().catch(() => {});
    throw error;
  }
  return database;
}
