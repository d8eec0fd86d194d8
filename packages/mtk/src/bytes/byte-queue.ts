import { TransportError } from '../transport';

interface PendingRead {
  length: number;
  resolve: (bytes: Uint8Array) => void;
  reject: (error: Error) => void;
  cleanup: () => void;
}

/**
 * Receive buffer shared by every Transport implementation: chunks are queued as they arrive and
 * a single pending read resolves as soon as enough bytes are there (no polling, no per-byte
 * allocation).
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // read offset into chunks[0]
  private size = 0;
  private pending: PendingRead | undefined;
  private closedError: TransportError | undefined;

  get available(): number {
    return this.size;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.closedError) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    const pending = this.pending;
    if (pending && this.size >= pending.length) {
      this.pending = undefined;
      pending.cleanup();
      pending.resolve(this.take(pending.length));
    }
  }

  read(length: number, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (!Number.isInteger(length) || length < 0) {
      return Promise.reject(
        new RangeError(`read length must be a non-negative integer: ${length}`),
      );
    }
    if (this.closedError) return Promise.reject(this.closedError);
    if (this.pending) return Promise.reject(new Error('ByteQueue: a read is already pending'));
    if (signal?.aborted) return Promise.reject(canceledError(signal));
    if (this.size >= length) return Promise.resolve(this.take(length));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => this.fail(canceledError(signal));
      const timer = setTimeout(() => {
        this.fail(new TransportError(`read timed out after ${timeoutMs} ms`, { timeout: true }));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        length,
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
    });
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.size = 0;
  }

  /** Rejects the pending read and every later one with `error`. */
  close(error: TransportError): void {
    this.closedError = error;
    this.clear();
    this.fail(error);
  }

  private fail(error: Error): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    pending.cleanup();
    pending.reject(error);
  }

  private take(length: number): Uint8Array {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks[0]!;
      const n = Math.min(length - filled, chunk.length - this.head);
      out.set(chunk.subarray(this.head, this.head + n), filled);
      filled += n;
      this.head += n;
      if (this.head === chunk.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.size -= length;
    return out;
  }
}

function canceledError(signal: AbortSignal | undefined): TransportError {
  return new TransportError('read canceled', { canceled: true }, { cause: signal?.reason });
}
