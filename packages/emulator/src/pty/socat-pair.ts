// A pseudo-terminal pair made by Debian's socat: one end for the host (a stable link such as
// <dir>/slot-01), the other for the emulator (<dir>/.slot-01.dev).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export class PtyError extends Error {
  override name = 'PtyError';
}

export interface SocatPair {
  hostPath: string;
  devicePath: string;
  /** Kills socat; both links disappear, as when a USB adapter is unplugged. */
  close(): Promise<void>;
  /** The guard process; its 'exit' means socat is gone. */
  readonly process: ChildProcess;
}

// socat outlives a parent killed with SIGKILL and would leave stale ttys behind. This guard shell
// runs socat and watches its own stdin, a pipe only the emulator process holds: when that process
// dies for any reason the pipe reaches EOF and the guard kills socat. SIGTERM/SIGINT to the guard
// (from outside) kill socat too, and the guard exits when socat does, so its 'exit' still means
// "adapter gone".
const GUARD_SCRIPT = [
  'exec 3<&0',
  '"$@" & s=$!',
  "trap 'kill $s 2>/dev/null' TERM INT",
  '( while read -r _; do :; done; kill $s 2>/dev/null ) <&3 &',
  'exec 3<&-',
  'wait $s',
].join('\n');

const SHELL_COMMAND_NOT_FOUND = 127;

export async function createSocatPair(
  hostPath: string,
  devicePath: string,
  socatBinary = 'socat',
  timeoutMs = 5000,
): Promise<SocatPair> {
  const socatArgs = [
    '-d',
    '-d',
    `pty,raw,echo=0,link=${devicePath}`,
    `pty,raw,echo=0,link=${hostPath}`,
  ];
  const child = spawn('sh', ['-c', GUARD_SCRIPT, 'socat-guard', socatBinary, ...socatArgs], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  // Ending the guard's stdin is the one way we stop socat: exactly one SIGTERM reaches it, so it
  // always gets to remove its links (a second signal during its clean-up would cut that short).
  const stop = () => {
    child.stdin?.end();
  };
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new PtyError(`socat did not create ${hostPath} within ${timeoutMs} ms: ${log.trim()}`),
        ),
      timeoutMs,
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new PtyError(`cannot start socat: ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        code === SHELL_COMMAND_NOT_FOUND
          ? new PtyError('socat not installed: apt-get install socat')
          : new PtyError(
              `socat exited with code ${code} before ${hostPath} was ready: ${log.trim()}`,
            ),
      );
    });
  });
  try {
    await ready;
  } catch (error) {
    stop();
    throw error;
  }
  child.stderr!.removeAllListeners('data');
  child.stderr!.resume();
  return {
    hostPath,
    devicePath,
    process: child,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      stop();
      await exited;
    },
  };
}
