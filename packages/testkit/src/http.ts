// Waiting for an HTTP endpoint of a process a test started.
import type { RunningProcess } from './processes';
import { waitFor, WaitAbortedError } from './wait';

/**
 * Resolves once `url` answers with any HTTP status. With `process`, fails at once (with its
 * output) if that process exits first, instead of waiting out the deadline.
 */
export async function waitForHttp(
  url: string,
  options: {
    process?: Pick<RunningProcess, 'name' | 'hasExited' | 'output'>;
    timeoutMs?: number;
  } = {},
): Promise<void> {
  const proc = options.process;
  await waitFor(
    proc ? `${proc.name} to answer at ${url}` : `${url} to answer`,
    async () => {
      if (proc?.hasExited()) {
        throw new WaitAbortedError(`${proc.name} exited before ${url} answered:\n${proc.output()}`);
      }
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return true;
    },
    { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 200 },
  );
}
