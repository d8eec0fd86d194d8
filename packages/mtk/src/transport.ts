/**
 * The only I/O the protocol knows: a byte pipe with timed reads. Implemented over a real serial
 * port (apps/station), a pseudo-terminal, or an in-memory pair (./testing).
 */
export interface WriteOptions {
  /**
   * Wait until the line has sent the bytes (tcdrain), the default. `false` resolves once the OS
   * holds them: for stop-and-wait frames whose answer cannot come before the bytes have crossed
   * (a drain there only holds one of libuv's few pool threads for the frame's line time).
   */
  drain?: boolean;
}

export interface Transport {
  /**
   * Resolves when the bytes have been handed to the line (drained; with `drain: false`, to the
   * OS). Rejects with a TransportError (`timeout`) when that takes longer than `timeoutMs`, or
   * (`canceled`) as soon as `signal` aborts; bytes not yet written by then are dropped.
   */
  write(
    data: Uint8Array,
    timeoutMs: number,
    signal?: AbortSignal,
    options?: WriteOptions,
  ): Promise<void>;
  /**
   * Resolves with exactly `length` bytes as soon as they are there; rejects with a
   * TransportError (`timeout`) after `timeoutMs`, or (`canceled`) when `signal` aborts,
   * consuming nothing.
   */
  read(length: number, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** Changes the line speed of the host side. */
  setBaudRate(baud: number): Promise<void>;
  /** Drops bytes received but not yet read (stale answers). */
  discardInput(): void;
  /** Closes the port; pending reads reject with `canceled`. */
  close(): Promise<void>;
}

export interface TransportErrorFlags {
  timeout?: boolean;
  canceled?: boolean;
  disconnected?: boolean;
}

/** A failure of the byte pipe itself, with flags callers branch on (style guide rule 28). */
export class TransportError extends Error {
  readonly timeout: boolean;
  readonly canceled: boolean;
  readonly disconnected: boolean;

  constructor(message: string, flags: TransportErrorFlags = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
    this.timeout = flags.timeout ?? false;
    this.canceled = flags.canceled ?? false;
    this.disconnected = flags.disconnected ?? false;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
