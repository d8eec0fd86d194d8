// The wait between tries of a write that must not be given up (a result, a registration) while
// Postgres is away: doubling from firstDelayMs to maxDelayMs, cut short when the server stops.

export interface RetryDelays {
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_DELAYS: RetryDelays = { firstDelayMs: 250, maxDelayMs: 2000 };

/** Waits before try `tryNumber + 1`; rejects with the signal's reason when it aborts. */
export const waitBeforeRetry = (
  tryNumber: number,
  { firstDelayMs, maxDelayMs }: RetryDelays,
  signal: AbortSignal,
): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(firstDelayMs * 2 ** (tryNumber - 1), maxDelayMs),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
