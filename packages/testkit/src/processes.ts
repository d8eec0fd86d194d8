// A child process a test starts: in its own process group (so a kill reaches what it spawned, as
// a crash or power loss would), its output kept line by line, waits with deadlines, and an orphan
// guard that ends the group even if the test process dies first.
import { spawn, type ChildProcess } from 'node:child_process';
import { asProcessEnv, baseChildEnv } from './env';
import { guardGroup, type OrphanGuard } from './orphan-guard';
import { groupMembers } from './process-group';
import { DEFAULT_WAIT_MS, WaitTimeoutError } from './wait';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type LineMatch = string | RegExp | ((line: string) => boolean);

export interface ProcessOptions {
  cwd?: string;
  /** The child's whole environment (nothing is inherited unless passed). */
  env?: Record<string, string | undefined>;
  /** Run as this user and group (a root test starting Postgres). */
  uid?: number;
  gid?: number;
  /** Removed by the orphan guard if the test process dies before cleaning up. */
  guardDir?: string;
}

export interface RunningProcess {
  readonly name: string;
  /** Also the process group id. */
  readonly pid: number;
  readonly child: ChildProcess;
  /** Settles when the process has exited and its output is read. */
  readonly exited: Promise<ExitStatus>;
  hasExited(): boolean;
  /** stdout and stderr interleaved as they arrived. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Complete output lines so far (both streams). */
  lines(): string[];
  /**
   * Resolves with the first line from index `fromLine` on that matches; rejects when the process
   * exits first or at the deadline, with the last output.
   */
  waitForLine(
    match: LineMatch,
    options?: { timeoutMs?: number; fromLine?: number },
  ): Promise<string>;
  waitForExit(timeoutMs?: number): Promise<ExitStatus>;
  /** Signals the process itself (what `kill <pid>` does). */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILLs the whole group at once (no goodbye, no clean-up) and waits for the exit. */
  kill(): Promise<ExitStatus>;
  /**
   * Sends `signal` (default SIGTERM) to the process and waits for it to exit; past the deadline
   * it SIGKILLs the group and throws, since an app that ignores SIGTERM is a finding.
   */
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<ExitStatus>;
  /** SIGKILLs whatever is left in the group and drops the orphan guard; safe to call twice. */
  release(): Promise<void>;
}

const TAIL_CHARS = 4000;
/** After 'exit', how long to wait for the pipes to close (a grandchild may hold them). */
const PIPE_CLOSE_GRACE_MS = 1000;

function matcher(match: LineMatch): (line: string) => boolean {
  if (typeof match === 'string') return (line) => line.includes(match);
  if (match instanceof RegExp) return (line) => match.test(line);
  return match;
}

const describeMatch = (match: LineMatch) =>
  typeof match === 'function' ? 'the expected line' : `a line matching ${String(match)}`;

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: ProcessOptions = {},
): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: asProcessEnv(options.env ?? baseChildEnv()),
    uid: options.uid,
    gid: options.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) {
    // spawn reports a missing binary asynchronously; the caller needs a pid now.
    child.on('error', () => {});
    throw new Error(`cannot start ${name}: ${command} could not be spawned (is it installed?)`);
  }
  const pid = child.pid;
  const guard: OrphanGuard = guardGroup(pid, options.guardDir);

  let combined = '';
  const streams = { stdout: '', stderr: '' };
  const partial = { stdout: '', stderr: '' };
  const lines: string[] = [];
  const waiters = new Set<{ check: () => void; fail: (error: Error) => void }>();
  let exitStatus: ExitStatus | undefined;

  const addLine = (line: string) => {
    lines.push(line);
    for (const waiter of waiters) waiter.check();
  };
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    combined += text;
    streams[stream] += text;
    const parts = (partial[stream] + text).split('\n');
    partial[stream] = parts.pop() ?? '';
    for (const line of parts) addLine(line);
  };
  child.stdout!.on('data', collect('stdout'));
  child.stderr!.on('data', collect('stderr'));
  child.on('error', (error) => (combined += `\n[${name}: ${error.message}]\n`));

  const tail = () => combined.slice(-TAIL_CHARS);
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      const closed = new Promise<void>((done) => {
        const timer = setTimeout(done, PIPE_CLOSE_GRACE_MS);
        child.once('close', () => (clearTimeout(timer), done()));
      });
      void closed.then(() => {
        for (const stream of ['stdout', 'stderr'] as const) {
          if (partial[stream]) addLine(partial[stream]);
          partial[stream] = '';
        }
        exitStatus = { code, signal };
        const died = new Error(
          `${name} exited (code ${code}, signal ${signal}) before printing the expected line:\n${tail()}`,
        );
        for (const waiter of waiters) waiter.fail(died);
        // Nothing left in the group: the guard has nothing to do any more.
        if (groupMembers(pid).length === 0) guard.release();
        resolve(exitStatus);
      });
    });
  });

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already empty
    }
  };

  const waitForExit = async (timeoutMs = DEFAULT_WAIT_MS): Promise<ExitStatus> => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new WaitTimeoutError(`${name} did not exit within ${timeoutMs} ms:\n${tail()}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([exited, expired]);
    } finally {
      clearTimeout(timer);
    }
  };

  const running: RunningProcess = {
    name,
    pid,
    child,
    exited,
    hasExited: () => exitStatus !== undefined,
    output: () => combined,
    stdout: () => streams.stdout,
    stderr: () => streams.stderr,
    lines: () => [...lines],
    waitForLine(match, { timeoutMs = DEFAULT_WAIT_MS, fromLine = 0 } = {}) {
      const test = matcher(match);
      return new Promise<string>((resolve, reject) => {
        let next = fromLine;
        const waiter = {
          check: () => {
            for (; next < lines.length; next++) {
              if (test(lines[next]!)) return finish(() => resolve(lines[next]!));
            }
          },
          fail: (error: Error) => finish(() => reject(error)),
        };
        const timer = setTimeout(
          () =>
            waiter.fail(
              new WaitTimeoutError(
                `timed out after ${timeoutMs} ms waiting for ${name} to print ${describeMatch(match)}; last output:\n${tail()}`,
              ),
            ),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          settle();
        };
        waiters.add(waiter);
        waiter.check();
        if (waiters.has(waiter) && exitStatus) {
          waiter.fail(
            new Error(`${name} has already exited (code ${exitStatus.code}):\n${tail()}`),
          );
        }
      });
    },
    waitForExit,
    signal(signal) {
      if (exitStatus === undefined) child.kill(signal);
    },
    async kill() {
      signalGroup('SIGKILL');
      return waitForExit();
    },
    async stop({ signal = 'SIGTERM', timeoutMs = 15_000 } = {}) {
      if (exitStatus) return exitStatus;
      child.kill(signal);
      try {
        return await waitForExit(timeoutMs);
      } catch {
        signalGroup('SIGKILL');
        await exited;
        throw new Error(
          `${name} did not exit within ${timeoutMs} ms of ${signal}, so it was killed:\n${tail()}`,
        );
      }
    },
    async release() {
      signalGroup('SIGKILL');
      await exited;
      guard.release();
    },
  };
  return running;
}
