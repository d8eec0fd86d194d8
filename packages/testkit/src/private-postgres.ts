// A throw-away PostgreSQL 15 cluster that a test may stop, kill and start again without touching
// the shared service: initdb into a temp dir, trust auth, one free port on 127.0.0.1.
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { asProcessEnv, baseChildEnv } from './env';
import { liveProcesses } from './process-group';
import { freePort } from './ports';
import { serverAccount } from './os-user';
import { startProcess, type RunningProcess } from './processes';
import { waitFor } from './wait';

const run = promisify(execFile);

export const POSTGRES_BIN_DIR = '/usr/lib/postgresql/15/bin';
const READY_LINE = 'database system is ready to accept connections';

export interface PrivatePostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres (superuser, trust). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  running(): boolean;
  /** The server log of every run so far. */
  log(): string;
  /** Fast shutdown (SIGINT): open sessions are cut, the data is kept. */
  stop(): Promise<void>;
  /** Starts again on the same data directory and port; waits until it accepts connections. */
  start(): Promise<void>;
  /** SIGKILL of the postmaster and its backends at once: a crashed database server. */
  kill(): Promise<void>;
  /** Stops it and removes its directory. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface PrivatePostgresOptions {
  binDir?: string;
  /** Extra server settings (`-c name=value`). */
  settings?: Record<string, string>;
  readyTimeoutMs?: number;
}

export async function startPrivatePostgres(
  options: PrivatePostgresOptions = {},
): Promise<PrivatePostgres> {
  const binDir = options.binDir ?? POSTGRES_BIN_DIR;
  const account = serverAccount('postgres');
  const dir = await mkdtemp(join(tmpdir(), 'testkit-pg-'));
  const dataDir = join(dir, 'data');
  const asServer = {
    cwd: dir,
    env: asProcessEnv({ ...baseChildEnv(), LC_ALL: 'C', HOME: dir }),
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
  };
  const port = await freePort();
  const runs: RunningProcess[] = [];
  const current = () => runs.at(-1);
  const running = () => current()?.hasExited() === false;
  let disposed = false;

  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    // Throw-away data: a crash of this process is what tests simulate, not of the machine.
    fsync: 'off',
    ...options.settings,
  };
  const args = ['-D', dataDir, '-p', String(port)];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);

  const cluster: PrivatePostgres = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    running,
    log: () => runs.map((r) => r.output()).join(''),
    async start() {
      if (disposed) throw new Error(`private Postgres on port ${port} was disposed`);
      if (running()) return;
      const server = startProcess(`postgres :${port}`, join(binDir, 'postgres'), args, {
        ...asServer,
        guardDir: dir,
      });
      runs.push(server);
      await server.waitForLine(READY_LINE, { timeoutMs: options.readyTimeoutMs ?? 60_000 });
    },
    async stop() {
      const server = current();
      if (!server || server.hasExited()) return;
      await server.stop({ signal: 'SIGINT', timeoutMs: 30_000 });
      await server.release();
    },
    async kill() {
      const server = current();
      if (!server || server.hasExited()) return;
      // Backends lead process groups of their own (setsid), so a group kill would miss them.
      const backends = liveProcesses().filter((p) => p.ppid === server.pid);
      for (const pid of [server.pid, ...backends.map((b) => b.pid)]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await server.exited;
      await waitFor(
        `the backends of the killed Postgres on port ${port} to exit`,
        () => {
          const alive = new Set(liveProcesses().map((p) => p.pid));
          return backends.every((b) => !alive.has(b.pid));
        },
        { timeoutMs: 10_000 },
      );
      await server.release();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      try {
        await cluster.stop();
      } catch {
        await cluster.kill();
      } finally {
        for (const r of runs) await r.release();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };

  try {
    if (account) await chown(dir, account.uid, account.gid);
    await run(
      join(binDir, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ],
      asServer,
    ).catch((error: Error & { stderr?: string }) => {
      throw new Error(`initdb into ${dataDir} failed: ${error.stderr?.trim() || error.message}`, {
        cause: error,
      });
    });
    await cluster.start();
    return cluster;
  } catch (error) {
    await cluster.dispose().catch(() => {});
    throw error;
  }
}
