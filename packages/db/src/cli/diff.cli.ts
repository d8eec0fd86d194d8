// `npm run db:diff -w @station/db -- <migration_name> [--from <git-ref>]`
// Writes prisma/migrations/<UTC timestamp>_<name>/migration.sql with the SQL that turns the
// schema of the last committed migration (or <git-ref>) into the working-tree schema.prisma.
// Runs offline through the Prisma 6.19 WebAssembly engine. It diffs schema against schema, not
// against a database, so the hand-written constraints of earlier migrations are left alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDatabaseUrl } from '../connection-url';
import { createDatabaseIfMissing } from '../ensure-database';
import { cliEnv } from './env';
import { MIGRATIONS_DIR, Prisma6Workspace, runPrisma6 } from './prisma6-runner';

const usage = 'usage: npm run db:diff -w @station/db -- <migration_name> [--from <git-ref>]';

function fail(message: string): never {
  console.error(`[db:diff] ${message}`);
  process.exit(1);
}

function git(args: string[]): string | undefined {
  const result = spawnSync('git', args, {
    cwd: join(MIGRATIONS_DIR, '..', '..'),
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout : undefined;
}

/** The committed schema the existing migrations describe. */
function baseSchema(fromRef: string | undefined): string | undefined {
  const ref = fromRef ?? git(['log', '-1', '--format=%H', '--', 'prisma/migrations'])?.trim();
  if (!ref) return undefined; // no migration committed yet: diff from an empty database
  const text = git(['show', `${ref}:prisma/schema.prisma`]);
  if (text === undefined) fail(`cannot read prisma/schema.prisma at git ref ${ref}`);
  return text;
}

function timestamp(now = new Date()): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const args = process.argv.slice(2);
let fromRef: string | undefined;
const fromIndex = args.indexOf('--from');
if (fromIndex >= 0) {
  fromRef = args[fromIndex + 1];
  if (!fromRef) fail(usage);
  args.splice(fromIndex, 2);
}
const [name, ...extra] = args;
if (extra.length > 0) fail(usage);
if (!name || !/^[a-z0-9_]{1,60}$/.test(name))
  fail(`${usage}\n  (name: lower-case letters, digits and _ only)`);

const workspace = new Prisma6Workspace();
try {
  // Prisma 6 with a driver adapter opens a connection even for a schema-to-schema diff.
  await createDatabaseIfMissing(parseDatabaseUrl(cliEnv.databaseUrl), cliEnv.databaseUrl);
  const base = baseSchema(fromRef);
  const from =
    base === undefined ? ['--from-empty'] : ['--from-schema-datamodel', workspace.schemaFile(base)];
  const { status, stdout } = runPrisma6(
    [
      'migrate',
      'diff',
      ...from,
      '--to-schema-datamodel',
      workspace.currentSchemaFile(),
      '--script',
    ],
    { databaseUrl: cliEnv.databaseUrl, env: cliEnv.inherited, capture: true },
  );
  if (status !== 0) fail('prisma migrate diff failed (see above)');
  // The CLI prints its "Loaded Prisma config" notice on stdout too.
  const sql = `${stdout
    .split('\n')
    .filter((line) => !line.startsWith('Loaded Prisma config'))
    .join('\n')
    .trim()}\n`;
  if (!sql.trim() || /^-- This is an empty migration\.$/.test(sql.trim())) {
    console.log('[db:diff] schema.prisma matches the migrations: nothing to write');
  } else {
    const dir = join(MIGRATIONS_DIR, `${timestamp()}_${name}`);
    if (existsSync(dir)) fail(`${dir} already exists`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'migration.sql'), sql);
    const shown = relative(process.cwd(), join(dir, 'migration.sql'));
    console.log(
      `[db:diff] wrote ${shown}: review it, add hand-written SQL if needed, then npm run db:migrate`,
    );
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  workspace.dispose();
}
