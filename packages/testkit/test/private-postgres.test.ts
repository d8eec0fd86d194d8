// A private PostgreSQL 15 cluster really goes away and comes back: queries fail while it is
// stopped or killed and work after start(), committed rows survive both, and dispose() leaves no
// process or directory behind. Real initdb/postgres binaries, queried with psql.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigratedDatabase,
  liveProcesses,
  processesMentioning,
  startPrivatePostgres,
  type PrivatePostgres,
} from '../src/index';

const run = promisify(execFile);
let pg: PrivatePostgres;

async function sql(query: string, url = pg.url): Promise<string> {
  const { stdout } = await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', query], {
    env: { PATH: '/usr/bin:/bin', PGCONNECT_TIMEOUT: '3' },
  });
  return stdout.trim();
}

beforeAll(async () => {
  pg = await startPrivatePostgres();
}, 120_000);
afterAll(() => pg?.dispose());

describe('startPrivatePostgres', { timeout: 120_000 }, () => {
  it('runs PostgreSQL 15 as the postgres user on its own port, with trust auth', async () => {
    expect(pg.port).not.toBe(5432);
    expect(await sql('SHOW server_version')).toMatch(/^15\./);
    expect(await sql('SELECT current_user')).toBe('postgres');
    const [postmaster] = processesMentioning(pg.dataDir);
    expect(postmaster?.command).toContain('/usr/lib/postgresql/15/bin/postgres');
    await sql('CREATE TABLE marks (n int)');
    await sql('INSERT INTO marks VALUES (1)');
  });

  it('stop() refuses connections until start(), and keeps the data', async () => {
    await pg.stop();
    expect(pg.running()).toBe(false);
    await expect(sql('SELECT 1')).rejects.toThrow(/Connection refused|could not connect/);
    await pg.start();
    expect(await sql('SELECT count(*) FROM marks')).toBe('1');
  });

  it('kill() ends the postmaster and its backends at once; start() recovers committed rows', async () => {
    await sql('INSERT INTO marks VALUES (2)');
    const [postmaster] = processesMentioning(pg.dataDir);
    const children = liveProcesses().filter((p) => p.ppid === postmaster!.pid);
    expect(children.map((c) => c.command)).toContain('postgres: checkpointer');
    await pg.kill();
    const alive = new Set(liveProcesses().map((p) => p.pid));
    expect([postmaster!, ...children].filter((p) => alive.has(p.pid))).toEqual([]);
    await expect(sql('SELECT 1')).rejects.toThrow(/Connection refused|could not connect/);
    await pg.start();
    expect(await sql('SELECT sum(n) FROM marks')).toBe('3');
    expect(pg.log()).toMatch(/database system was interrupted|not properly shut down/);
  });

  it('holds a database migrated by the project migrate CLI', async () => {
    const db = await createMigratedDatabase(pg.url);
    expect(db.url).toBe(`postgresql://postgres@127.0.0.1:${pg.port}/${db.name}`);
    expect(Number(await sql('SELECT count(*) FROM _prisma_migrations', db.url))).toBeGreaterThan(0);
    expect(await sql(`SELECT to_regclass('modules') IS NOT NULL`, db.url)).toBe('t');
    await db.drop();
    expect(await sql(`SELECT count(*) FROM pg_database WHERE datname = '${db.name}'`)).toBe('0');
  });

  it('dispose() stops it and removes its directory', async () => {
    const other = await startPrivatePostgres();
    await other.dispose();
    expect(processesMentioning(other.dataDir)).toEqual([]);
    expect(existsSync(other.dataDir)).toBe(false);
    await other.dispose();
  });
});
