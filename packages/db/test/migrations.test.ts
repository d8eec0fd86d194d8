// ensureDatabase and the migration runner against the real Postgres: creating a missing
// database, applying prisma/migrations, idempotence, rollback of a failing migration, and
// compatibility with the stock Prisma CLI's `_prisma_migrations` bookkeeping.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, type TempDir } from '@station/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, ensureDatabase, MigrationFailedError } from '../src/index';
import { dropDatabase } from '../src/testing/index';
import { runPrisma6, Prisma6Workspace } from '../src/cli/prisma6-runner';

const SERVER = 'postgresql://postgres@127.0.0.1:5432';
const created: string[] = [];
const tempDirs: TempDir[] = [];

function freshUrl(): string {
  const url = `${SERVER}/flashstation_test_${randomBytes(6).toString('hex')}`;
  created.push(url);
  return url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const url of created) await dropDatabase(url);
  for (const dir of tempDirs) await dir.dispose();
});

const initName = '20261125204500_init';
/** Every migration folder, in the order they apply. */
const allNames = readdirSync(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('ensureDatabase', () => {
  it('creates a missing database, applies every migration, and is idempotent', async () => {
    const url = freshUrl();
    const messages: string[] = [];
    const first = await ensureDatabase(url, { log: (m) => messages.push(m) });
    expect(allNames[0]).toBe(initName);
    expect(first).toEqual({ created: true, applied: allNames });
    expect(messages.some((m) => m.startsWith('created database flashstation_test_'))).toBe(true);

    const tables = await query<{ table_name: string }>(
      url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      '_prisma_migrations',
      'adapter_bindings',
      'adapters',
      'api_keys',
      'attribution_decisions',
      'audit_events',
      'firmware_activations',
      'firmware_files',
      'firmware_packages',
      'flash_attempts',
      'modules',
      'sessions',
      'settings',
      'slots',
      'stations',
      'unit_shift_attempts',
      'unit_shift_definition',
      'unit_shift_rows',
      'unit_shifts',
      'users',
    ]);

    const second = await ensureDatabase(url);
    expect(second).toEqual({ created: false, applied: [] });
    const rows = await query<{ migration_name: string }>(
      url,
      'SELECT migration_name FROM _prisma_migrations',
    );
    expect(rows).toHaveLength(allNames.length);
  });

  it('records migrations exactly as Prisma does (checksum = sha256 of migration.sql)', async () => {
    const url = freshUrl();
    await ensureDatabase(url);
    const [row] = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      rolled_back_at: Date | null;
      logs: string | null;
      id: string;
    }>(url, `SELECT * FROM _prisma_migrations WHERE migration_name = '${initName}'`);
    const file = readFileSync(join(DEFAULT_MIGRATIONS_DIR, initName, 'migration.sql'));
    expect(row).toMatchObject({
      migration_name: initName,
      checksum: createHash('sha256').update(file).digest('hex'),
      applied_steps_count: 1,
      rolled_back_at: null,
      logs: null,
    });
    expect(row?.finished_at).toBeInstanceOf(Date);
    expect(row?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('concurrent callers apply each migration once', async () => {
    const url = freshUrl();
    const results = await Promise.all([
      ensureDatabase(url),
      ensureDatabase(url),
      ensureDatabase(url),
    ]);
    expect(results.flatMap((r) => r.applied)).toEqual(allNames);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('rolls a failing migration back completely and names it', async () => {
    const migrations = await tempDir('flashstation-migrations');
    tempDirs.push(migrations);
    const dir = migrations.path;
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(join(dir, '29990101000000_broken'));
    writeFileSync(
      join(dir, '29990101000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\nALTER TABLE no_such_table ADD COLUMN x int;\n',
    );
    const url = freshUrl();
    const error = await ensureDatabase(url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect((error as Error).message).toMatch(
      /^Migration 29990101000000_broken failed and was rolled back: .*no_such_table/,
    );

    const names = await query<{ migration_name: string }>(
      url,
      'SELECT migration_name FROM _prisma_migrations',
    );
    expect(names.map((n) => n.migration_name).sort()).toEqual(allNames);
    const halfDone = await query(
      url,
      `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`,
    );
    expect(halfDone).toHaveLength(0);
  });

  it(
    "the stock Prisma CLI (6.19, offline) sees the runner's migrations as applied",
    { timeout: 60_000 },
    async () => {
      const url = freshUrl();
      await ensureDatabase(url);
      const workspace = new Prisma6Workspace();
      try {
        const { status, stdout } = runPrisma6(
          ['migrate', 'status', '--schema', workspace.currentSchemaFile()],
          {
            databaseUrl: url,
            env: process.env,
            capture: true,
          },
        );
        expect(stdout).toContain('Database schema is up to date!');
        expect(status).toBe(0);
      } finally {
        workspace.dispose();
      }
    },
  );
});
