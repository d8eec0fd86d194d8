// The production bundles as docker-compose.yml runs them: `node apps/*/dist/*.mjs` with
// NODE_ENV=production, no tsx. Built here by the real build script, then run against the real
// Postgres and Redis: migrate an empty database, issue a station credential, start the server and
// an emulated station, and see the station reported by GET /api/health. Nothing is mocked but the
// modules (the emulator).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { dropDatabase } from '@station/db/testing';
import {
  baseChildEnv,
  freePort,
  repoRoot,
  startProcess,
  tempDir,
  testRedisPrefix,
  waitFor,
  type RunningProcess,
  type TempDir,
} from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const node = (args: string[], env: Record<string, string>) =>
  run(process.execPath, args, { cwd: repoRoot, env: env as NodeJS.ProcessEnv, timeout: 60_000 });

const migrations = readdirSync(join(repoRoot, 'prisma/migrations'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('production bundles (node apps/*/dist/*.mjs)', { timeout: 120_000 }, () => {
  const redis = testRedisPrefix('bundle');
  const databaseUrl = `postgresql://postgres@127.0.0.1:5432/flashstation_bundle_${randomBytes(5).toString('hex')}`;
  const started: RunningProcess[] = [];
  let work: TempDir;
  let shared: Record<string, string>;

  beforeAll(async () => {
    work = await tempDir('bundle-test');
    const { stdout } = await node(
      ['scripts/build-bundles.mjs', 'server', 'station'],
      baseChildEnv(),
    );
    expect(stdout).toContain('apps/server/dist/server.mjs');
    shared = {
      ...baseChildEnv(),
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: redis.prefix,
    };
  }, 120_000);

  afterAll(async () => {
    for (const process of started) await process.release();
    await dropDatabase(databaseUrl).catch(() => {});
    await redis.dispose();
    await work?.dispose();
  });

  it('are plain ES modules that import no TypeScript and no tsx', async () => {
    for (const file of [
      'apps/server/dist/server.mjs',
      'apps/server/dist/migrate.mjs',
      'apps/server/dist/station-credential.mjs',
      'apps/station/dist/main.mjs',
      'apps/station/dist/flashstation.mjs',
    ]) {
      expect(existsSync(join(repoRoot, file)), file).toBe(true);
      const text = readFileSync(join(repoRoot, file), 'utf8');
      expect(text, file).not.toMatch(/from ["'](tsx|@station\/)[^"']*["']/);
      expect(text, file).not.toMatch(/from ["'][^"']*\.ts["']/);
    }
  });

  it("run the engineer's CLI from its bundle in production (bin/flashstation.mjs)", async () => {
    const { stdout } = await node(['apps/station/bin/flashstation.mjs', '--help'], {
      ...baseChildEnv(),
      NODE_ENV: 'production',
    });
    expect(stdout).toContain('Usage: flashstation');
    expect(stdout).toMatch(/emulate/);
  });

  it('migrate an empty database, issue a credential, serve /api/health and run a station', async () => {
    // The compose file's migrate step: creates the database and applies every migration.
    const migrate = await node(['apps/server/dist/migrate.mjs'], {
      ...shared,
      DATABASE_URL: databaseUrl,
    });
    expect(migrate.stdout).toContain(`created, ${migrations.length} migration(s) applied`);

    // The compose file's station-credential job: writes the secret file it then installs.
    const secretFile = join(work.path, 'secrets/station-b');
    await node(
      ['apps/server/dist/station-credential.mjs', 'station-b', '--secret-file', secretFile],
      {
        ...shared,
        DATABASE_URL: databaseUrl,
      },
    );
    expect(existsSync(secretFile)).toBe(true);

    const port = await freePort();
    const server = startProcess(
      'server bundle',
      process.execPath,
      ['--enable-source-maps', 'apps/server/dist/server.mjs'],
      {
        cwd: repoRoot,
        env: {
          ...shared,
          DATABASE_URL: databaseUrl,
          HOST: '127.0.0.1',
          SERVER_PORT: String(port),
          DASHBOARD_ORIGIN: 'http://localhost:3000',
          FIRMWARE_STORE_DIR: join(work.path, 'firmware-store'),
          METRICS_TOKEN: 'bundle-test-token-'.padEnd(32, 'x'),
        },
      },
    );
    started.push(server);
    await server.waitForLine('"msg":"Server listening', { timeoutMs: 60_000 });
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', postgres: { ok: true } });

    const metricsPort = await freePort();
    const station = startProcess(
      'station bundle',
      process.execPath,
      ['--enable-source-maps', 'apps/station/dist/main.mjs'],
      {
        cwd: repoRoot,
        guardDir: work.path,
        env: {
          ...shared,
          STATION_ID: 'station-b',
          STATION_SECRET_FILE: secretFile,
          SERVER_URL: `http://127.0.0.1:${port}`,
          EMULATOR: 'true',
          EMULATOR_SLOTS: '2',
          UV_THREADPOOL_SIZE: '8',
          JIG_DIR: join(work.path, 'jig'),
          FIRMWARE_DIR: join(work.path, 'firmware'),
          JOURNAL_FILE: join(work.path, 'journal/station-b.jsonl'),
          METRICS_PORT: String(metricsPort),
          METRICS_HOST: '127.0.0.1',
        },
      },
    );
    started.push(station);
    await station.waitForLine('"msg":"station agent running"', { timeoutMs: 60_000 });

    // The station's health check in docker-compose.yml: its /metrics answers.
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('flashstation_');

    // The server sees the bundled station over Redis, both slots reported.
    const seen = await waitFor(
      'station-b connected in /api/health',
      async () => {
        const body = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
          stations: { stationId: string; connected: boolean; slots: unknown[] }[];
        };
        const entry = body.stations.find((s) => s.stationId === 'station-b');
        return entry?.connected ? entry : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(seen.slots).toHaveLength(2);

    expect(await station.stop()).toEqual({ code: 0, signal: null });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
