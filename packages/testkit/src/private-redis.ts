// A throw-away redis-server a test may stop, kill and restart without touching the shared service.
// Persistence is off (no RDB, no AOF), so every restart comes back empty, as a Redis that lost
// its data.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseChildEnv } from './env';
import { freePort } from './ports';
import { startProcess, type RunningProcess } from './processes';

const READY_LINE = 'Ready to accept connections';

export interface PrivateRedis {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  running(): boolean;
  /** The server log of every run so far. */
  log(): string;
  /** SIGTERM: a clean shutdown (nothing is saved). */
  stop(): Promise<void>;
  /** Starts again on the same port, empty; waits until it accepts connections. */
  start(): Promise<void>;
  /** SIGKILL: a crashed Redis. */
  kill(): Promise<void>;
  /** stop() then start(): the same address, no keys. */
  restartEmpty(): Promise<void>;
  /** Stops it and removes its directory. Safe to call twice. */
  dispose(): Promise<void>;
}

export async function startPrivateRedis(
  options: { binary?: string; readyTimeoutMs?: number } = {},
): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'testkit-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
  const runs: RunningProcess[] = [];
  const current = () => runs.at(-1);
  const running = () => current()?.hasExited() === false;
  let disposed = false;

  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    running,
    log: () => runs.map((r) => r.output()).join(''),
    async start() {
      if (disposed) throw new Error(`private Redis on port ${port} was disposed`);
      if (running()) return;
      const server = startProcess(`redis :${port}`, options.binary ?? 'redis-server', args, {
        cwd: dir,
        env: baseChildEnv(),
        guardDir: dir,
      });
      runs.push(server);
      await server.waitForLine(READY_LINE, { timeoutMs: options.readyTimeoutMs ?? 30_000 });
    },
    async stop() {
      const server = current();
      if (!server || server.hasExited()) return;
      await server.stop({ signal: 'SIGTERM', timeoutMs: 15_000 });
      await server.release();
    },
    async kill() {
      const server = current();
      if (!server || server.hasExited()) return;
      await server.kill();
      await server.release();
    },
    async restartEmpty() {
      await redis.stop();
      // Persistence is off, but a dump left by anything else must not come back either.
      await rm(join(dir, 'dump.rdb'), { force: true });
      await redis.start();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      try {
        await redis.stop();
      } finally {
        for (const r of runs) await r.release();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };

  try {
    await redis.start();
    return redis;
  } catch (error) {
    await redis.dispose().catch(() => {});
    throw error;
  }
}
