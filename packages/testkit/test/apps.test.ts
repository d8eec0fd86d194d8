// spawnApp runs the real apps: the server answers over HTTP and stops answering when killed, and
// comes back on the same port; the station's emulated jig lives in the test's own folder, dies
// with the agent on SIGKILL (no relay left), is taken over on restart and removed on dispose.
// Real Postgres (own database), Redis (own prefix), the emulated jig's ptys.
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMigratedDatabase,
  processesMentioning,
  provisionStation,
  spawnApp,
  testRedisPrefix,
  type AppProcess,
  type MigratedDatabase,
  type TestRedisPrefix,
} from '../src/index';

let app: AppProcess | undefined;
let db: MigratedDatabase | undefined;
let redis: TestRedisPrefix | undefined;
afterEach(async () => {
  await app?.dispose();
  await db?.drop();
  await redis?.dispose();
  app = db = redis = undefined;
});

const health = async (baseUrl: string) =>
  (await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5000) })).status;

describe('spawnApp', { timeout: 120_000 }, () => {
  it('server: ready on a free port, gone after kill(), back on the same port after start()', async () => {
    db = await createMigratedDatabase();
    redis = testRedisPrefix('kit-server');
    const server = await spawnApp('server', { DATABASE_URL: db.url, REDIS_PREFIX: redis.prefix });
    app = server;
    expect(await health(server.baseUrl)).toBe(200);

    expect(await server.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    await expect(health(server.baseUrl)).rejects.toThrow(/fetch failed/);
    await server.start();
    expect(await health(server.baseUrl)).toBe(200);

    await server.restart(); // SIGTERM: an ordered shutdown, then a new run
    expect(server.runs.map((r) => r.hasExited())).toEqual([true, true, false]);
    expect(await server.runs[1]!.exited).toEqual({ code: 0, signal: null });
    expect(server.runs[1]!.output()).toContain('"msg":"shutdown complete"');
    expect(await health(server.baseUrl)).toBe(200);
  });

  it('station: SIGKILL ends the agent and its pty relays; restart takes the jig over; dispose cleans up', async () => {
    redis = testRedisPrefix('kit-station');
    const stationId = `kit-${process.pid}`;
    const credential = await provisionStation({ stationId, prefix: redis.prefix });
    const station = await spawnApp('station', {
      STATION_ID: stationId,
      REDIS_PREFIX: redis.prefix,
      EMULATOR_SLOTS: '2',
      ...credential.env,
    });
    app = station;
    expect(await realpath(`${station.jigDir}/slot-02`)).toMatch(/^\/dev\/pts\/\d+$/);
    // The jig's relay hub names the jig's folder on its command line (perl relays: each link's).
    expect(processesMentioning(station.jigDir).length).toBeGreaterThanOrEqual(1);

    await station.kill();
    expect(processesMentioning(station.jigDir)).toEqual([]);
    await station.restart();
    const killed = station.runs[0]!.pid;
    expect(station.current.output()).toContain(`pid ${killed} is no longer running`);
    expect(await realpath(`${station.jigDir}/slot-01`)).toMatch(/^\/dev\/pts\/\d+$/);

    expect(existsSync(station.journalFile)).toBe(true); // in the test's folder, not in .run
    await station.dispose();
    expect(processesMentioning(station.jigDir)).toEqual([]);
    expect(existsSync(station.jigDir)).toBe(false);
    expect(existsSync(station.journalFile)).toBe(false);
  });

  it('reports an app that exits before it is ready, with its output', async () => {
    await expect(spawnApp('server', { SERVER_PORT: 'forty' })).rejects.toThrow(
      /server \(run 1\) exited \(code 1, signal null\) before printing the expected line:\n.*SERVER_PORT must be a number/s,
    );
  });
});
