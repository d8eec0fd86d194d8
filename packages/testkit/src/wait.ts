// Waiting in tests: every wait has a deadline and, when it passes, says what it was waiting for.
import type { EventEmitter } from 'node:events';

export const DEFAULT_WAIT_MS = 20_000;

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/** Thrown by a probe when waiting longer is pointless (the process it waits on died). */
export class WaitAbortedError extends Error {
  override name = 'WaitAbortedError';
}

export interface WaitOptions {
  /** Give up after this long (default 20 s). */
  timeoutMs?: number;
  /** Pause between two probes (default 50 ms). */
  intervalMs?: number;
}

type Falsy = undefined | null | false | 0 | '';

/**
 * Probes until `probe` returns a truthy value and resolves with it. A probe that throws counts as
 * "not yet" (a server still starting refuses connections); its last error is named on timeout.
 * A probe that throws WaitAbortedError ends the wait at once with that error.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | Falsy | Promise<T | Falsy>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      if (error instanceof WaitAbortedError) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError === undefined ? '' : ` (last probe threw: ${String(lastError)})`;
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}${why}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves with `promise`, or rejects naming `what` once `timeoutMs` has passed. */
export async function withDeadline<T>(
  what: string,
  promise: Promise<T>,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves with the arguments of the first `event` that `accept` takes (every one by default),
 * event-driven. `ready` is checked first, for a state that has already been reached.
 */
export function waitForEvent<Args extends unknown[] = unknown[]>(
  emitter: Pick<EventEmitter, 'on' | 'off'>,
  event: string,
  options: {
    what?: string;
    timeoutMs?: number;
    accept?: (...args: Args) => boolean;
    ready?: () => boolean;
  } = {},
): Promise<Args | undefined> {
  if (options.ready?.()) return Promise.resolve(undefined);
  let listener: ((...args: Args) => void) | undefined;
  const seen = new Promise<Args>((resolve) => {
    listener = (...args: Args) => {
      if (options.accept && !options.accept(...args)) return;
      resolve(args);
    };
    emitter.on(event, listener as (...args: unknown[]) => void);
  });
  return withDeadline(options.what ?? `event "${event}"`, seen, options.timeoutMs).finally(() =>
    emitter.off(event, listener as (...args: unknown[]) => void),
  );
}
