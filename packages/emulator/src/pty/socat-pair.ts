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
  readonly process: ChildProcess;
}

export async function createSocatPair(
  hostPath: string,
  devicePath: string,
  socatBinary = 'socat',
  timeoutMs = 5000,
): Promise<SocatPair> {
  const child = spawn(
    socatBinary,
    ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
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
      reject(
        error.code === 'ENOENT'
          ? new PtyError('socat not installed: apt-get install socat')
          : new PtyError(`cannot start socat: ${error.message}`),
      );
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new PtyError(`socat exited with code ${code} before ${hostPath} was ready: ${log.trim()}`),
      );
    });
  });
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
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
      child.kill('SIGTERM');
      await exited;
    },
  };
}
