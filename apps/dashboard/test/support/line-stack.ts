import {
  createMigratedDatabase,
  freePort,
  LOCAL_REDIS_URL,
  provisionStation,
  spawnApp,
  tempDir,
  testRedisPrefix,
  waitForHttp,
  type AppProcess,
  type RunningProcess,
  type ServerApp,
  type StationApp,
} from '@station/testkit';
import { startDashboard } from './dashboard-process';
import { DEMO_PASSWORD } from './people';
import { stopAndRelease } from './stop-process';

const HTTP_UP_MS = 60_000;

/** The real line: apps/server on a fresh database and Redis prefix, and the built dashboard. */
export interface LineStack {
  serverUrl: string;
  dashboardUrl: string;
  redisPrefix: string;
  /** The line's database (station credentials are issued into it). */
  databaseUrl: string;
  /** apps/server; after its stop(), startServer() brings it back on the same port and database. */
  server: ServerApp;
  /** Starts the stopped server again and waits until it answers. */
  startServer(): Promise<void>;
  /** Stops everything it started (what the caller started too, if handed to `track`), then
   * drops the database and checks that no Redis key is left behind. */
  stop(): Promise<void>;
  /** Stops `proc` with the stack, before the database is dropped. */
  track<T extends RunningProcess | AppProcess>(proc: T): T;
}

/** A real station agent driving an emulated jig on the line's Redis prefix; its jig, firmware
 * and journal are in a folder of its own, removed when it is released. */
export async function startJigStation(
  line: Pick<LineStack, 'redisPrefix' | 'databaseUrl' | 'serverUrl'>,
  options: { stationId: string; slots: number },
): Promise<StationApp> {
  // Its credential, as an admin issues one (the server picks it up within its refresh).
  const credential = await provisionStation({
    stationId: options.stationId,
    prefix: line.redisPrefix,
    databaseUrl: line.databaseUrl,
  });
  return spawnApp('station', {
    NODE_ENV: 'test',
    STATION_ID: options.stationId,
    REDIS_URL: LOCAL_REDIS_URL,
    REDIS_PREFIX: line.redisPrefix,
    EMULATOR: 'true',
    EMULATOR_SLOTS: String(options.slots),
    // Where it fetches registry packages it does not hold.
    SERVER_URL: line.serverUrl,
    ...credential.env,
  });
}

/** Needs a built dashboard (ensureDashboardBuild). */
export async function startLineStack(
  name: string,
  /** Server settings on top of the stack's own (e.g. SHIFTS). */
  serverEnv: Record<string, string> = {},
): Promise<LineStack> {
  const dashboardPort = await freePort();
  const dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
  const redis = testRedisPrefix(name);
  const database = await createMigratedDatabase();
  // Firmware uploaded by the tests is stored here, never in the repo's .run.
  const firmwareStore = await tempDir(`${name}-firmware`);
  const processes: (RunningProcess | AppProcess)[] = [];
  const track = <T extends RunningProcess | AppProcess>(proc: T): T => {
    processes.push(proc);
    return proc;
  };
  const stop = async () => {
    const failures: unknown[] = [];
    for (const proc of processes.reverse()) {
      await stopAndRelease(proc).catch((error: unknown) => failures.push(error));
    }
    await database.drop().catch((error: unknown) => failures.push(error));
    await redis.dispose().catch((error: unknown) => failures.push(error));
    await firmwareStore.dispose().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw new AggregateError(failures, `stopping line ${name} failed`);
  };

  try {
    // warn: at info every health poll of every open page is logged, and the server's warnings
    // would scroll out of the log tail a failing test prints. So it is up once it answers.
    const server = track(
      await spawnApp(
        'server',
        {
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          DATABASE_URL: database.url,
          REDIS_URL: redis.url,
          REDIS_PREFIX: redis.prefix,
          DASHBOARD_ORIGIN: dashboardUrl,
          DOCS_ENABLED: 'false',
          // New stations' credentials are picked up within half a second, not five.
          STATION_KEYS_REFRESH_MS: '500',
          // The demo users (operator with badge 0001, supervisor, engineer, admin) with it.
          DEMO_PASSWORD,
          FIRMWARE_STORE_DIR: firmwareStore.path,
          // Every file signs in from 127.0.0.1 at once: the default 10 a minute is too few for
          // the suite (apps/server tests the limit itself).
          SIGN_IN_RATE_LIMIT: '100',
          ...serverEnv,
        },
        { waitUntilReady: false },
      ),
    );
    const serverHealth = `${server.baseUrl}/api/health`;
    const dashboard = track(startDashboard(dashboardPort, server.baseUrl));
    await Promise.all([
      waitForHttp(serverHealth, { process: server.current, timeoutMs: HTTP_UP_MS }),
      waitForHttp(dashboardUrl, { process: dashboard, timeoutMs: HTTP_UP_MS }),
    ]);
    return {
      serverUrl: server.baseUrl,
      dashboardUrl,
      redisPrefix: redis.prefix,
      databaseUrl: database.url,
      server,
      async startServer() {
        await server.start();
        await waitForHttp(serverHealth, { process: server.current, timeoutMs: HTTP_UP_MS });
      },
      stop,
      track,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
