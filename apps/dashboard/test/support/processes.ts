import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';

const OUTPUT_LIMIT = 20_000;
const STOP_GRACE_MS = 10_000;

/** A child started in its own process group, so stopping it also stops what it spawned. */
export interface RunningProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last output (stdout and stderr interleaved), for failure messages. */
  output(): string;
  hasExited(): boolean;
  stop(): Promise<void>;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = child.exitCode !== null;
  const exit = once(child, 'exit').then(() => {
    exited = true;
  });
  child.on('error', (err) => collect(Buffer.from(`\n[spawn error] ${err.message}\n`)));

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };

  return {
    name,
    child,
    output: () => output,
    hasExited: () => exited,
    async stop() {
      if (child.pid === undefined) return;
      signalGroup('SIGTERM');
      const stopped = await Promise.race([exit.then(() => true), delay(STOP_GRACE_MS, false)]);
      // Grandchildren may outlive a parent that exited on SIGTERM: the group gets SIGKILL anyway.
      signalGroup('SIGKILL');
      if (!stopped) await exit;
    },
  };
}

/** Waits until `url` answers any HTTP status; fails early with the output if the process dies. */
export async function waitForHttp(url: string, proc: RunningProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.hasExited()) {
      throw new Error(`${proc.name} exited before ${url} answered:\n${proc.output()}`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await delay(200);
    }
  }
  throw new Error(
    `${proc.name} did not answer at ${url} within ${timeoutMs} ms:\n${proc.output()}`,
  );
}
