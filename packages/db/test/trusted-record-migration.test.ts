// The trusted_record migration on a database holding rows written under the init schema: stage
// values and timings converted, package digests moved into their column, duplicate open attempts
// of one module closed. Applied by our runner, read back with SQL and with the new client.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, testImei, type TempDir } from '@station/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, DEFAULT_MIGRATIONS_DIR, ensureDatabase } from '../src/index';
import { dropDatabase } from '../src/testing/index';

const INIT = '20261125204500_init';
const TRUSTED = '20261127090000_trusted_record';
const NEW_STAGES = [
  'queued',
  'package',
  'preflight',
  'power',
  'brom',
  'da_upload',
  'da_connect',
  'baud',
  'format',
  'write',
  'verify',
  'readback',
  'fat_format',
  'finish',
  'postflight',
];
// Every value of the old enum, and what it becomes.
const CONVERSION: [string, string][] = [
  ['queued', 'queued'],
  ['preflight', 'preflight'],
  ['power_cycle', 'power'],
  ['handshake', 'brom'],
  ['chip_check', 'brom'],
  ['da_upload', 'da_upload'],
  ['flash_detect', 'da_connect'],
  ['baud_switch', 'baud'],
  ['format', 'format'],
  ['write', 'write'],
  ['verify', 'verify'],
  ['reset', 'finish'],
  ['postflight', 'postflight'],
];

const url = `postgresql://postgres@127.0.0.1:5432/flashstation_test_${randomBytes(6).toString('hex')}`;
/** A migrations folder holding only the init migration. */
let initOnly: TempDir;
let client: pg.Client;
const digestA = 'a1'.repeat(32);
const digestShared = 'b2'.repeat(32);
const ids = {
  station: '',
  slot: [] as string[],
  old: '',
  blank: '',
  first: '',
  second: '',
  olderOpen: '',
  newerOpen: '',
  onlyOpen: '',
  timed: '',
  oddTimed: '',
  byStage: new Map<string, string>(),
};

async function one<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await client.query<T>(sql, params);
  return rows[0]!;
}
const insertId = async (sql: string, params: unknown[] = []) =>
  (await one<{ id: string }>(`${sql} RETURNING id`, params)).id;

/** Rows as the init schema and the old server wrote them. */
async function seedOldRows(): Promise<void> {
  // A user of the init schema (e-mail only): people_sessions gives it that e-mail as username.
  await client.query(
    `INSERT INTO users (id, email, display_name, role, updated_at)
     VALUES (gen_random_uuid(), 'ops.lead@example.com', 'Ops lead', 'supervisor', now())`,
  );
  ids.station = await insertId(
    `INSERT INTO stations (id, code, name, updated_at) VALUES (gen_random_uuid(), 'jig-1', 'Jig', now())`,
  );
  for (const index of [0, 1, 2])
    ids.slot.push(
      await insertId(
        `INSERT INTO slots (id, station_id, index, label, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, now())`,
        [ids.station, index, `S${index + 1}`],
      ),
    );
  const pkg = (name: string, revision: string, createdAt: string) =>
    insertId(
      `INSERT INTO firmware_packages (id, name, revision, platform, allowed_flash_ids, created_at)
       VALUES (gen_random_uuid(), $1, $2, 'MT2503', '{}', $3)`,
      [name, revision, createdAt],
    );
  const file = (packageId: string, fileName: string, sha256: string) =>
    client.query(
      `INSERT INTO firmware_files (id, package_id, kind, file_name, size_bytes, sha256)
       VALUES (gen_random_uuid(), $1, 'other', $2, 0, $3)`,
      [packageId, fileName, sha256],
    );
  // The old server's digest hack, a row with no digest, and one content under two folder names.
  ids.old = await pkg('demo-A13', 'MC60CAR01A13', '2026-01-01T00:00:00Z');
  await file(ids.old, 'package.digest', digestA);
  await file(ids.old, 'ROM', 'c3'.repeat(32));
  ids.blank = await pkg('seeded', 'MC60CAR01A12', '2026-01-01T00:00:00Z');
  ids.first = await pkg('line1-A14', 'MC60CAR01A14', '2026-01-02T00:00:00Z');
  await file(ids.first, 'package.digest', digestShared);
  ids.second = await pkg('copy-A14', 'MC60CAR01A14', '2026-01-03T00:00:00Z');
  await file(ids.second, 'package.digest', digestShared);

  const module = (imei: string) =>
    insertId(`INSERT INTO modules (id, imei, updated_at) VALUES (gen_random_uuid(), $1, now())`, [
      imei,
    ]);
  const history = await module(testImei(1));
  const twiceOpen = await module(testImei(2));
  const onceOpen = await module(testImei(3));
  const attempt = (values: {
    module: string;
    slot: number;
    pkg: string;
    stage: string;
    startedAt: string;
    open?: boolean;
    timings?: unknown;
  }) =>
    insertId(
      `INSERT INTO flash_attempts
         (id, module_id, station_id, slot_id, package_id, stage_reached, started_at, ended_at,
          outcome, stage_timings)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::flash_stage, $6::timestamptz,
               CASE WHEN $7 THEN NULL ELSE $6::timestamptz + interval '1 minute' END,
               CASE WHEN $7 THEN 'running' ELSE 'failed' END::attempt_outcome, $8::jsonb)`,
      [
        values.module,
        ids.station,
        ids.slot[values.slot],
        values.pkg,
        values.stage,
        values.startedAt,
        values.open ?? false,
        values.timings === undefined ? null : JSON.stringify(values.timings),
      ],
    );
  for (const [index, [stage]] of CONVERSION.entries())
    ids.byStage.set(
      stage,
      await attempt({
        module: history,
        slot: 0,
        pkg: index % 2 ? ids.second : ids.old,
        stage,
        startedAt: `2026-01-05T10:${String(index).padStart(2, '0')}:00Z`,
      }),
    );
  ids.timed = await attempt({
    module: history,
    slot: 0,
    pkg: ids.blank,
    stage: 'handshake',
    startedAt: '2026-01-05T11:00:00Z',
    timings: { handshake: 100, chip_check: 20, 'da-upload': 300, 'fat-format': 7, write: 5 },
  });
  ids.oddTimed = await attempt({
    module: history,
    slot: 0,
    pkg: ids.blank,
    stage: 'write',
    startedAt: '2026-01-05T11:01:00Z',
    timings: { handshake: 'fast' },
  });
  // Before the new rule a module could be open in two slots at once.
  ids.olderOpen = await attempt({
    module: twiceOpen,
    slot: 0,
    pkg: ids.old,
    stage: 'handshake',
    startedAt: '2026-01-06T10:00:00Z',
    open: true,
  });
  ids.newerOpen = await attempt({
    module: twiceOpen,
    slot: 1,
    pkg: ids.old,
    stage: 'queued',
    startedAt: '2026-01-06T10:05:00Z',
    open: true,
  });
  ids.onlyOpen = await attempt({
    module: onceOpen,
    slot: 2,
    pkg: ids.old,
    stage: 'write',
    startedAt: '2026-01-06T10:06:00Z',
    open: true,
  });
}

beforeAll(async () => {
  initOnly = await tempDir('flashstation-init-only');
  cpSync(join(DEFAULT_MIGRATIONS_DIR, INIT), initOnly.join(INIT), { recursive: true });
  cpSync(join(DEFAULT_MIGRATIONS_DIR, 'migration_lock.toml'), initOnly.join('migration_lock.toml'));
  expect(await ensureDatabase(url, { migrationsDir: initOnly.path })).toMatchObject({
    applied: [INIT],
  });
  client = new pg.Client({ connectionString: url });
  await client.connect();
  await seedOldRows();
  // trusted_record first; later migrations (people_sessions) follow it on the same rows.
  expect((await ensureDatabase(url)).applied[0]).toBe(TRUSTED);
});

afterAll(async () => {
  await client?.end();
  await dropDatabase(url);
  await initOnly?.dispose();
});

describe(`migration ${TRUSTED} on old rows`, () => {
  it('flash_stage is exactly the contracts list, default queued', async () => {
    const { labels } = await one<{ labels: string[] }>(
      `SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'flash_stage'`,
    );
    expect(labels).toEqual(NEW_STAGES);
    const { column_default } = await one<{ column_default: string }>(
      `SELECT column_default FROM information_schema.columns
       WHERE table_name = 'flash_attempts' AND column_name = 'stage_reached'`,
    );
    expect(column_default).toBe(`'queued'::flash_stage`);
  });

  it.each(CONVERSION)('an attempt stored at %s is now at %s', async (oldStage, newStage) => {
    const { stage_reached } = await one<{ stage_reached: string }>(
      'SELECT stage_reached::text FROM flash_attempts WHERE id = $1',
      [ids.byStage.get(oldStage)],
    );
    expect(stage_reached).toBe(newStage);
  });

  it('stage timings use the same names, merged stages added; other shapes are left alone', async () => {
    const timed = await one<{ stage_timings: unknown }>(
      'SELECT stage_timings FROM flash_attempts WHERE id = $1',
      [ids.timed],
    );
    expect(timed.stage_timings).toEqual({ brom: 120, da_upload: 300, fat_format: 7, write: 5 });
    const odd = await one<{ stage_timings: unknown }>(
      'SELECT stage_timings FROM flash_attempts WHERE id = $1',
      [ids.oddTimed],
    );
    expect(odd.stage_timings).toEqual({ handshake: 'fast' });
  });

  it('the digest moved from the package.digest file row into its column', async () => {
    const row = await one<{ digest: string }>(
      'SELECT digest FROM firmware_packages WHERE id = $1',
      [ids.old],
    );
    expect(row.digest).toBe(digestA);
    const { rows } = await client.query<{ file_name: string }>(
      'SELECT file_name FROM firmware_files ORDER BY file_name',
    );
    expect(rows.map((r) => r.file_name)).toEqual(['ROM']);
  });

  it('a package recorded without a digest gets one derived from its id', async () => {
    const row = await one<{ digest: string }>(
      'SELECT digest FROM firmware_packages WHERE id = $1',
      [ids.blank],
    );
    expect(row.digest).toBe(
      createHash('sha256').update(`legacy-package:${ids.blank}`).digest('hex'),
    );
  });

  it('one content under two folder names became one package, attempts moved onto it', async () => {
    const { rows } = await client.query<{ id: string; name: string }>(
      'SELECT id, name FROM firmware_packages WHERE digest = $1',
      [digestShared],
    );
    expect(rows).toEqual([{ id: ids.first, name: 'line1-A14' }]);
    const moved = await one<{ n: string }>(
      'SELECT count(*) AS n FROM flash_attempts WHERE package_id = $1',
      [ids.first],
    );
    expect(Number(moved.n)).toBe(6); // the odd-numbered CONVERSION rows
  });

  it('a module open in two slots keeps its newest attempt open; the older is interrupted at its stage', async () => {
    const { rows } = await client.query<{
      id: string;
      outcome: string;
      stage_reached: string;
      ended: boolean;
      error_message: string | null;
    }>(
      `SELECT id, outcome::text, stage_reached::text, ended_at IS NOT NULL AS ended, error_message
       FROM flash_attempts WHERE id = ANY($1::uuid[]) ORDER BY started_at`,
      [[ids.olderOpen, ids.newerOpen, ids.onlyOpen]],
    );
    expect(rows).toEqual([
      {
        id: ids.olderOpen,
        outcome: 'interrupted',
        stage_reached: 'brom',
        ended: true,
        error_message: 'Closed by migration trusted_record: the module had a newer open attempt.',
      },
      {
        id: ids.newerOpen,
        outcome: 'running',
        stage_reached: 'queued',
        ended: false,
        error_message: null,
      },
      {
        id: ids.onlyOpen,
        outcome: 'running',
        stage_reached: 'write',
        ended: false,
        error_message: null,
      },
    ]);
  });

  it('the new client reads the migrated rows, and the new rules hold', async () => {
    const prisma = createPrismaClient(url);
    try {
      const attempt = await prisma.flashAttempt.findUniqueOrThrow({ where: { id: ids.onlyOpen } });
      expect(attempt).toMatchObject({
        stageReached: 'write',
        operatorHint: null,
        engineerHint: null,
      });
      const pkg = await prisma.firmwarePackage.findUniqueOrThrow({ where: { digest: digestA } });
      expect(pkg.id).toBe(ids.old);
      const error = await client
        .query(
          `INSERT INTO flash_attempts (id, module_id, station_id, slot_id, package_id)
           SELECT gen_random_uuid(), module_id, station_id, $1, package_id
           FROM flash_attempts WHERE id = $2`,
          [ids.slot[0], ids.onlyOpen],
        )
        .catch((e: unknown) => e);
      expect(String(error)).toMatch(/flash_attempts_one_open_per_module/);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('a user from before people_sessions signs in by its e-mail as username', async () => {
    const { rows } = await client.query<{ username: string; badge_lookup: string | null }>(
      `SELECT username, badge_lookup FROM users WHERE email = 'ops.lead@example.com'`,
    );
    expect(rows).toEqual([{ username: 'ops.lead@example.com', badge_lookup: null }]);
  });
});
