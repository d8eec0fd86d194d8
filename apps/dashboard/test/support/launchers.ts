import { join } from 'node:path';
import { DASHBOARD_DIR, NEXT_BIN, REPO_ROOT } from './dashboard-build';
import { startProcess, type RunningProcess } from './processes';

const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const REDIS_URL = 'redis://127.0.0.1:6379';

/** `next start` of the built dashboard, pointed at `serverUrl`. */
export function startDashboard(port: number, serverUrl: string): RunningProcess {
  return startProcess(
    `dashboard :${port}`,
    NEXT_BIN,
    ['start', '--port', String(port), '--hostname', '127.0.0.1'],
    {
      cwd: DASHBOARD_DIR,
      // NODE_ENV: vitest sets "test"; next start must run as production.
      env: {
        ...process.env,
        NODE_ENV: 'production',
        SERVER_URL: serverUrl,
        DASHBOARD_PORT: String(port),
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  );
}

/** apps/server exactly as `npm start` runs it, on its own database and Redis prefix. */
export function startServer(options: {
  port: number;
  databaseUrl: string;
  redisPrefix: string;
  dashboardOrigin: string;
}): RunningProcess {
  return startProcess(`server :${options.port}`, TSX, ['apps/server/src/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      SERVER_PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      REDIS_URL,
      REDIS_PREFIX: options.redisPrefix,
      DASHBOARD_ORIGIN: options.dashboardOrigin,
      DOCS_ENABLED: 'false',
    },
  });
}

/** The real station agent with an emulated jig, announcing itself on the server's Redis prefix. */
export function startStation(options: {
  stationId: string;
  redisPrefix: string;
  slots: number;
  jigDir: string;
  /** Where the agent keeps (and, emulated, writes its demo) firmware; its default is in the repo. */
  firmwareDir?: string;
  /** The agent's attempt journal; its default is in the repo. */
  journalFile?: string;
}): RunningProcess {
  return startProcess(`station ${options.stationId}`, TSX, ['apps/station/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      STATION_ID: options.stationId,
      REDIS_URL,
      REDIS_PREFIX: options.redisPrefix,
      EMULATOR: 'true',
      EMULATOR_SLOTS: String(options.slots),
      JIG_DIR: options.jigDir,
      ...(options.firmwareDir ? { FIRMWARE_DIR: options.firmwareDir } : {}),
      ...(options.journalFile ? { JOURNAL_FILE: options.journalFile } : {}),
    },
  });
}
