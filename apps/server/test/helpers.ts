// Shared test fixtures for the server: a real migrated Postgres database, a unique Redis key
// prefix, the real server runtime listening on a free port, and the real station agent process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import { createLogger } from '@station/logger';
import { Redis } from 'ioredis';
import { parseEnv, type ServerEnv } from '../src/env';
import { createServerRuntime, type ServerRuntime } from '../src/runtime';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const silentLogger = createLogger({ name: 'server-test', level: 'silent' });

export const uniquePrefix = (label: string): string =>
  `test-${label}-${randomBytes(4).toString('hex')}`;

/** Deletes every key under a test prefix. */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface TestServer {
  runtime: ServerRuntime;
  env: ServerEnv;
  db: TestDatabase;
  baseUrl: string;
  /** Stops the runtime (ordered shutdown) and starts a new one on the same database and prefix. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The real server runtime on its own database and key prefix, listening on 127.0.0.1. */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const db = await createTestDatabase();
  try {
    const env = parseEnv({
      DATABASE_URL: db.url,
      REDIS_PREFIX: uniquePrefix('server'),
      HOST: '127.0.0.1',
      SERVER_PORT: '0',
      ...overrides,
    });
    const start = async () => {
      const runtime = await createServerRuntime(env, silentLogger);
      const baseUrl = await runtime.app.listen({ host: env.HOST, port: 0 });
      return { runtime, baseUrl };
    };
    const stop = async (runtime: ServerRuntime) => {
      for (const step of runtime.shutdownSteps) await step.run();
    };
    const server: TestServer = {
      ...(await start()),
      env,
      db,
      async restart() {
        await stop(server.runtime);
        Object.assign(server, await start());
      },
      async close() {
        await stop(server.runtime);
        await db.drop();
        await deleteKeys(env.REDIS_PREFIX);
      },
    };
    return server;
  } catch (error) {
    await db.drop();
    throw error;
  }
}

/** Resolves with the first truthy value of `probe`, polling; rejects naming `what` at the deadline. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  deadlineMs = 20_000,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface AgentProcess {
  child: ChildProcess;
  /** SIGKILLs the agent and its children at once (no goodbye, no jig cleanup). */
  killGroup: () => void;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the real station agent (apps/station/src/main.ts) as one node process with tsx's loader
 * (not the tsx CLI, which runs the script in a grandchild that a SIGKILL would leave running).
 */
export function spawnAgent(env: Record<string, string>): AgentProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `${repoRoot}apps/station/src/main.ts`],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Leads its own process group with the emulated jig's socat children, so killGroup() can
      // SIGKILL the whole agent the way a crash or power loss would.
      detached: true,
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL'); // no group (already gone): make sure the agent itself is
    }
  };
  return { child, killGroup, output: () => output, exited };
}
