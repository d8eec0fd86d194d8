import { TransportError } from './transport';

/**
 * Settles as `work` does, unless `timeoutMs` passes first (TransportError `timeout`) or `signal`
 * aborts (`canceled`): the guard on awaits whose implementation may not keep its own deadline
 * (a Transport's write and drain, a power-cycle callback). `work` is not stopped, only no longer
 * waited for; its later failure is absorbed.
 */
export function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  what: string,
): Promise<T> {
  if (signal?.aborted) {
    work.catch(() => undefined);
    return Promise.reject(canceled(what, signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      cleanup();
      reject(canceled(what, signal));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new TransportError(`${what} did not finish within ${timeoutMs} ms`, { timeout: true }),
      );
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}

function canceled(what: string, signal: AbortSignal | undefined): TransportError {
  return new TransportError(`${what} canceled`, { canceled: true }, { cause: signal?.reason });
}
