// The real apps as processes, as `npm run server` / `npm run station` start them: one node
// process with tsx's loader (not the tsx CLI, whose grandchild a SIGKILL would leave running), in
// its own process group with everything it spawns (the emulated jig's pty relays).
import { join } from 'node:path';
import { baseChildEnv } from './env';
import { freePort } from './ports';
import { startProcess, type ExitStatus, type LineMatch, type RunningProcess } from './processes';
import { repoRoot } from './repo';
import { TEST_DEMO_PASSWORD } from './session';
import { tempDir, type TempDir } from './temp-dir';
import { DEFAULT_WAIT_MS } from './wait';

export type AppKind = 'server' | 'station';

const ENTRY: Record<AppKind, string> = {
  server: 'apps/server/src/server.ts',
  station: 'apps/station/src/main.ts',
};

/** The bundles production runs (`npm run build`, scripts/build-bundles.mjs; docker-compose.yml). */
const BUNDLE: Record<AppKind, string> = {
  server: 'apps/server/dist/server.mjs',
  station: 'apps/station/dist/main.mjs',
};

/** The info-level line each app logs once it is fully up. */
const READY_LINE: Record<AppKind, LineMatch> = {
  server: '"msg":"Server listening',
  station: '"msg":"station agent running"',
};

export interface AppOptions {
  /** start() and restart() wait for the ready line (default true; false for start-up failures). */
  waitUntilReady?: boolean;
  readyLine?: LineMatch;
  /** Default 60 s: a cold tsx start on a loaded two-core machine takes several seconds. */
  readyTimeoutMs?: number;
  /** Deadline for SIGTERM in stop() and restart() (default 15 s). */
  stopTimeoutMs?: number;
  /** Name in messages (default the kind, plus STATION_ID for a station). */
  name?: string;
  /**
   * Run the built bundle as production does (`node apps/<app>/dist/….mjs`, no TypeScript loader)
   * instead of the sources through tsx. The caller builds it first (benches measuring production).
   */
  built?: boolean;
}

export interface AppProcess {
  readonly kind: AppKind;
  readonly name: string;
  /** The environment every run gets, defaults filled in. */
  readonly env: Readonly<Record<string, string>>;
  /** The current run, or the last one once stopped. */
  readonly current: RunningProcess;
  /** Every run so far, oldest first (output survives a restart). */
  readonly runs: readonly RunningProcess[];
  running(): boolean;
  /** A new run (after stop or kill); waits for the ready line unless told not to. */
  start(): Promise<void>;
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<ExitStatus>;
  /** SIGKILL of the app and everything it spawned, as a crash or power loss. */
  kill(): Promise<ExitStatus>;
  /** stop() (SIGTERM) then start(). */
  restart(): Promise<void>;
  /** waitForLine on the current run. */
  waitForLine(
    match: LineMatch,
    options?: { timeoutMs?: number; fromLine?: number },
  ): Promise<string>;
  /** Kills what is still running and removes the directories it made. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface ServerApp extends AppProcess {
  readonly port: number;
  /** http://127.0.0.1:<port>, the same across restarts. */
  readonly baseUrl: string;
}

/** Folders not given in env are made per test (one temp folder) and removed by dispose(). */
export interface StationApp extends AppProcess {
  /** JIG_DIR: the emulated jig's slot links and control socket, kept across restarts. */
  readonly jigDir: string;
  readonly controlAddress: string;
  readonly firmwareDir: string;
  /** JOURNAL_FILE: kept across restarts, as a station PC's disk is. */
  readonly journalFile: string;
}

const QUIET_LEVELS = new Set(['warn', 'error', 'fatal', 'silent']);

export async function spawnApp(
  kind: 'server',
  env: Record<string, string>,
  options?: AppOptions,
): Promise<ServerApp>;
export async function spawnApp(
  kind: 'station',
  env: Record<string, string>,
  options?: AppOptions,
): Promise<StationApp>;
export async function spawnApp(
  kind: AppKind,
  env: Record<string, string>,
  options: AppOptions = {},
): Promise<ServerApp | StationApp> {
  const waitUntilReady = options.waitUntilReady ?? true;
  const fullEnv: Record<string, string> = {
    ...baseChildEnv(),
    LOG_LEVEL: 'info',
    ...env,
  };
  if (waitUntilReady && QUIET_LEVELS.has(fullEnv.LOG_LEVEL!)) {
    throw new Error(
      `spawnApp(${kind}) waits for an info log line: LOG_LEVEL ${fullEnv.LOG_LEVEL} hides it (use info, or waitUntilReady: false)`,
    );
  }
  let work: TempDir | undefined;
  let extra: Record<string, unknown> = {};
  if (kind === 'server') {
    fullEnv.HOST ??= '127.0.0.1';
    fullEnv.SERVER_PORT ??= String(await freePort());
    // The demo users (signIn) exist on every test server unless the test chooses otherwise.
    fullEnv.DEMO_PASSWORD ??= TEST_DEMO_PASSWORD;
    const port = Number(fullEnv.SERVER_PORT);
    extra = { port, baseUrl: `http://127.0.0.1:${port}` };
  } else {
    // Everything the agent keeps on disk goes in the test's own folder, never in the repo's .run.
    if (!fullEnv.JIG_DIR || !fullEnv.FIRMWARE_DIR || !fullEnv.JOURNAL_FILE) {
      work = await tempDir('testkit-station');
    }
    fullEnv.JIG_DIR ??= join(work!.path, 'jig');
    fullEnv.FIRMWARE_DIR ??= join(work!.path, 'firmware');
    fullEnv.JOURNAL_FILE ??= join(work!.path, 'journal.jsonl');
    // As apps/station/bin/station.sh does: a pool thread per drain, two per slot plus four.
    fullEnv.UV_THREADPOOL_SIZE ??= String(
      Math.min(1024, 2 * Number(fullEnv.EMULATOR_SLOTS ?? 8) + 4),
    );
    extra = {
      jigDir: fullEnv.JIG_DIR,
      controlAddress: join(fullEnv.JIG_DIR, 'control.sock'),
      firmwareDir: fullEnv.FIRMWARE_DIR,
      journalFile: fullEnv.JOURNAL_FILE,
    };
  }
  const name =
    options.name ?? (kind === 'station' ? `station ${fullEnv.STATION_ID ?? 'station-1'}` : kind);
  const runs: RunningProcess[] = [];
  const current = () => {
    const run = runs.at(-1);
    if (!run) throw new Error(`${name} has not been started`);
    return run;
  };
  const running = () => runs.length > 0 && !current().hasExited();

  const app: AppProcess = {
    kind,
    name,
    env: fullEnv,
    get current() {
      return current();
    },
    runs,
    running,
    async start() {
      if (running()) throw new Error(`${name} is already running (pid ${current().pid})`);
      const run = startProcess(
        `${name} (run ${runs.length + 1})`,
        process.execPath,
        options.built
          ? ['--enable-source-maps', join(repoRoot, BUNDLE[kind])]
          : ['--import', 'tsx', join(repoRoot, ENTRY[kind])],
        { cwd: repoRoot, env: fullEnv, ...(work ? { guardDir: work.path } : {}) },
      );
      runs.push(run);
      if (waitUntilReady) {
        await run.waitForLine(options.readyLine ?? READY_LINE[kind], {
          timeoutMs: options.readyTimeoutMs ?? 60_000,
        });
      }
    },
    stop: (stopOptions) => current().stop({ timeoutMs: options.stopTimeoutMs, ...stopOptions }),
    kill: () => current().kill(),
    async restart() {
      if (running()) await app.stop();
      await app.start();
    },
    waitForLine: (match, waitOptions) =>
      current().waitForLine(match, { timeoutMs: DEFAULT_WAIT_MS, ...waitOptions }),
    async dispose() {
      const failures: unknown[] = [];
      for (const run of runs) await run.release().catch((error: unknown) => failures.push(error));
      await work?.dispose();
      if (failures.length > 0) throw new AggregateError(failures, `cleaning up ${name} failed`);
    },
  };
  Object.assign(app, extra);
  try {
    await app.start();
  } catch (error) {
    await app.dispose();
    throw error;
  }
  return app as ServerApp | StationApp;
}
