// schema.prisma and prisma/migrations describe the same database: one database is built by the
// migrations, another from schema.prisma alone (Prisma 6.19 `migrate diff --from-empty`), and
// their catalogues must match except for the hand-written constraints docs/data-model.md lists
// (views, functions and triggers are hand-written too, and not compared).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDatabase } from '../src/index';
import { createDatabaseIfMissing } from '../src/ensure-database';
import { parseDatabaseUrl } from '../src/connection-url';
import { dropDatabase } from '../src/testing/index';
import { Prisma6Workspace, runPrisma6 } from '../src/cli/prisma6-runner';

/** Constraints Prisma's schema language cannot express, written by hand into the migrations. */
const HAND_WRITTEN_CHECKS = [
  'adapter_bindings_unbound_after_bound',
  'api_keys_key_hash_hex',
  'attribution_decisions_kind_subject',
  'attribution_decisions_release_whole',
  'firmware_files_sha256_hex',
  'firmware_files_size_not_negative',
  'firmware_packages_digest_hex',
  'flash_attempts_baud_positive',
  'flash_attempts_bytes_not_negative',
  'flash_attempts_ends_after_start',
  'flash_attempts_not_own_retry',
  'flash_attempts_open_iff_running',
  'modules_imei_15_digits',
  'sessions_expire_after_creation',
  'sessions_id_hex',
  'slots_index_not_negative',
  'stations_credential_whole',
  'unit_shift_definition_one_row',
  'users_badge_lookup_hex',
  'users_email_lower_case',
  'users_username_lower_case',
];
const HAND_WRITTEN_INDEXES = [
  'adapter_bindings_one_current_per_adapter',
  'adapter_bindings_one_current_per_slot',
  'attribution_decisions_one_open_per_module',
  'attribution_decisions_one_open_per_slot',
  'flash_attempts_failed_idx',
  'flash_attempts_one_open_per_module',
  'flash_attempts_one_open_per_slot',
  'flash_attempts_one_retry_per_attempt',
  'flash_attempts_unjudged_idx',
  'flash_attempts_window_idx',
];

const created: string[] = [];
const freshUrl = () => {
  const url = `postgresql://postgres@127.0.0.1:5432/flashstation_test_${randomBytes(6).toString('hex')}`;
  created.push(url);
  return url;
};
afterAll(async () => {
  for (const url of created) await dropDatabase(url);
});

interface Catalogue {
  columns: string[];
  enums: string[];
  keys: string[];
  checks: string[];
  indexes: Map<string, string>;
}

async function catalogue(url: string): Promise<Catalogue> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const lines = async (sql: string) =>
    (await client.query<{ line: string }>(sql)).rows.map((row) => row.line).sort();
  try {
    const columns = await lines(`
      SELECT concat_ws(' ', table_name || '.' || column_name, udt_name, character_maximum_length,
                       datetime_precision, is_nullable, column_default) AS line
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
        AND table_name NOT IN (SELECT table_name FROM information_schema.views
                               WHERE table_schema = 'public')`);
    const enums = await lines(`
      SELECT t.typname || ': ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`);
    const constraints = `
      FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace
        AND conrelid::regclass::text <> '_prisma_migrations'`;
    const keys = await lines(`
      SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
      ${constraints} AND contype <> 'c'`);
    const checks = await lines(`SELECT conname AS line ${constraints} AND contype = 'c'`);
    const { rows } = await client.query<{ indexname: string; indexdef: string }>(`
      SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    return {
      columns,
      enums,
      keys,
      checks,
      indexes: new Map(rows.map((row) => [row.indexname, row.indexdef])),
    };
  } finally {
    await client.end();
  }
}

describe('schema.prisma and prisma/migrations', () => {
  it('build the same tables, columns, enums, keys and indexes', { timeout: 90_000 }, async () => {
    const migrated = freshUrl();
    await ensureDatabase(migrated);

    const fromSchema = freshUrl();
    await createDatabaseIfMissing(parseDatabaseUrl(fromSchema), fromSchema);
    const workspace = new Prisma6Workspace();
    let sql: string;
    try {
      const diff = runPrisma6(
        [
          'migrate',
          'diff',
          '--from-empty',
          '--to-schema-datamodel',
          workspace.currentSchemaFile(),
          '--script',
        ],
        { databaseUrl: fromSchema, env: process.env, capture: true },
      );
      expect(diff.status).toBe(0);
      sql = diff.stdout
        .split('\n')
        .filter((line) => !line.startsWith('Loaded Prisma config'))
        .join('\n');
    } finally {
      workspace.dispose();
    }
    const client = new pg.Client({ connectionString: fromSchema });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }

    const expected = await catalogue(fromSchema);
    const actual = await catalogue(migrated);
    expect(actual.columns).toEqual(expected.columns);
    expect(actual.enums).toEqual(expected.enums);
    expect(actual.keys).toEqual(expected.keys);
    expect(expected.checks).toEqual([]);
    expect(actual.checks).toEqual(HAND_WRITTEN_CHECKS);
    for (const [name, definition] of expected.indexes)
      expect(actual.indexes.get(name), name).toBe(definition);
    const extra = [...actual.indexes.keys()].filter((name) => !expected.indexes.has(name)).sort();
    expect(extra).toEqual(HAND_WRITTEN_INDEXES);
  });
});
