import { join } from 'node:path';
import { freePort } from './free-port';
import { startDashboard, startServer, startStation } from './launchers';
import { waitForHttp, type RunningProcess } from './processes';
import { createMigratedDatabase, deleteRedisKeys, redisKeys, uniqueName } from './services';

export const jigDirOf = (workDir: string) => join(workDir, 'jig');

/** A real station agent driving an emulated jig, with its jig, firmware and journal in `workDir`. */
export function startJigStation(options: {
  stationId: string;
  redisPrefix: string;
  slots: number;
  workDir: string;
}): RunningProcess {
  return startStation({
    stationId: options.stationId,
    redisPrefix: options.redisPrefix,
    slots: options.slots,
    jigDir: jigDirOf(options.workDir),
    firmwareDir: join(options.workDir, 'firmware'),
    journalFile: join(options.workDir, 'journal.jsonl'),
  });
}

/** The real line: apps/server on a fresh database and Redis prefix, and the built dashboard. */
export interface LineStack {
  serverUrl: string;
  dashboardUrl: string;
  redisPrefix: string;
  /** The server now running (replaced by restartServer). */
  server(): RunningProcess;
  /** Starts the server again on the same port, database and prefix; waits until it answers. */
  restartServer(): Promise<RunningProcess>;
  /** Stops everything it started (what the caller started too, if handed to `track`), then
   * drops the database and checks that no Redis key is left behind. */
  stop(): Promise<void>;
  /** Stops `proc` with the stack, before the database is dropped. */
  track(proc: RunningProcess): RunningProcess;
}

/** Needs a built dashboard (ensureDashboardBuild). */
export async function startLineStack(name: string): Promise<LineStack> {
  const [serverPort, dashboardPort] = [await freePort(), await freePort()];
  const serverUrl = `http://127.0.0.1:${serverPort}`;
  const dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
  const redisPrefix = uniqueName(name);
  const database = await createMigratedDatabase();
  const processes: RunningProcess[] = [];
  const track = (proc: RunningProcess) => {
    processes.push(proc);
    return proc;
  };
  const launchServer = () =>
    track(
      startServer({
        port: serverPort,
        databaseUrl: database.url,
        redisPrefix,
        dashboardOrigin: dashboardUrl,
      }),
    );

  const stop = async () => {
    const failures: unknown[] = [];
    for (const proc of processes.reverse()) {
      await proc.stop().catch((error: unknown) => failures.push(error));
    }
    await database.drop().catch((error: unknown) => failures.push(error));
    await deleteRedisKeys(redisPrefix).catch((error: unknown) => failures.push(error));
    const left = await redisKeys(redisPrefix);
    if (left.length > 0) failures.push(new Error(`Redis keys left behind: ${left.join(', ')}`));
    if (failures.length > 0) throw new AggregateError(failures, `stopping line ${name} failed`);
  };

  let server = launchServer();
  const dashboard = track(startDashboard(dashboardPort, serverUrl));
  try {
    await Promise.all([
      waitForHttp(`${serverUrl}/api/health`, server),
      waitForHttp(dashboardUrl, dashboard),
    ]);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return {
    serverUrl,
    dashboardUrl,
    redisPrefix,
    server: () => server,
    async restartServer() {
      server = launchServer();
      await waitForHttp(`${serverUrl}/api/health`, server);
      return server;
    },
    stop,
    track,
  };
}
