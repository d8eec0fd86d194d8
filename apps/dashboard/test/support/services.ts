import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './dashboard-build';

const run = promisify(execFile);
const PG = [
  '-h',
  '127.0.0.1',
  '-p',
  '5432',
  '-U',
  'postgres',
  '-v',
  'ON_ERROR_STOP=1',
  '-d',
  'postgres',
];
const REDIS = ['-h', '127.0.0.1', '-p', '6379'];

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

/**
 * A fresh, migrated database made by the project's own `db:migrate` tool (a separate process: the
 * dashboard may not import @station/db). Returns its URL and how to drop it.
 */
export async function createMigratedDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = uniqueName('flashstation_dash');
  const url = `postgresql://postgres@127.0.0.1:5432/${name}`;
  const drop = async () => {
    await run('psql', [...PG, '-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
  };
  try {
    await run(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['packages/db/src/cli/migrate.cli.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: url },
    });
  } catch (error) {
    await drop();
    throw error;
  }
  return { url, drop };
}

export async function databaseExists(name: string): Promise<boolean> {
  const { stdout } = await run('psql', [
    ...PG,
    '-tAc',
    `SELECT 1 FROM pg_database WHERE datname = '${name}'`,
  ]);
  return stdout.trim() === '1';
}

/** Keys under `<prefix>:`; the server keeps all of its Redis state there. */
export async function redisKeys(prefix: string): Promise<string[]> {
  const { stdout } = await run('redis-cli', [...REDIS, '--scan', '--pattern', `${prefix}:*`]);
  return stdout.split('\n').filter(Boolean);
}

export async function deleteRedisKeys(prefix: string): Promise<void> {
  const keys = await redisKeys(prefix);
  for (let i = 0; i < keys.length; i += 500) {
    await run('redis-cli', [...REDIS, 'DEL', ...keys.slice(i, i + 500)]);
  }
}
