import { bytesEqual, toHex } from './bytes/endian';
import { withDeadline } from './deadline';
import type { FlashErrorCode } from './errors/catalogue';
import { FlashError } from './errors/flash-error';
import type { FlashStage } from './errors/stages';
import { toFlashError } from './errors/to-flash-error';
import { LINE_CONTROL_TIMEOUT_MS, lineTimeMs, writeDeadlineMs } from './line-time';
import type { StageClock } from './stage-clock';
import type { TraceFieldsInput, TraceRecorder } from './trace/trace-recorder';
import type { Transport, WriteOptions } from './transport';

export interface FlashProgress {
  stage: FlashStage;
  /** Bytes done / total within the stage (0/0 for stages without a byte count). */
  bytes: number;
  totalBytes: number;
  percent: number;
}

export type ProgressListener = (progress: FlashProgress) => void;

/** A write or line setting that fails other than by time: the port itself is gone or broken. */
const PORT_FAILURE: FlashErrorCode = 'PORT_DISCONNECTED';

/**
 * A Transport bound to one flash: the stage clock, the cancel signal, the line rate (for
 * deadlines that scale with data size), progress reporting and the optional protocol trace. Every
 * send and read has a deadline and ends at once on cancel; every failure leaves as a catalogue
 * error naming the stage (runFlash traces it against the command under way).
 */
export class Link {
  baud = 115200;

  constructor(
    readonly transport: Transport,
    readonly clock: StageClock,
    readonly signal?: AbortSignal,
    private readonly onProgress?: ProgressListener,
    readonly trace?: TraceRecorder,
  ) {}

  get stage(): FlashStage {
    return this.clock.stage;
  }

  enter(stage: FlashStage): void {
    this.clock.enter(stage);
  }

  /** Traces a command under way: `done` records its answer, a failure names it. */
  begin(cmd: string, args?: TraceFieldsInput): void {
    this.trace?.begin(this.stage, cmd, args);
  }

  /** The traced command answered `reply`; ok=false when that answer fails the protocol. */
  done(reply?: TraceFieldsInput, ok = true): void {
    this.trace?.done(this.stage, reply, ok);
  }

  /** Traces a whole step at once. */
  note(cmd: string, args?: TraceFieldsInput, reply?: TraceFieldsInput, ok = true): void {
    this.trace?.note(this.stage, cmd, args, reply, ok);
  }

  progress(bytes: number, totalBytes: number): void {
    this.onProgress?.(progressOf(this.stage, bytes, totalBytes));
  }

  /** Time the line needs for `bytes` at the current baud, in ms. */
  lineTimeMs(bytes: number): number {
    return lineTimeMs(bytes, this.baud);
  }

  /** A fixed pause a field-proven host also makes (the baud switch's settle time); cancel ends it. */
  async pause(ms: number): Promise<void> {
    this.throwIfAborted();
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.signal?.addEventListener('abort', done, { once: true });
    });
    this.throwIfAborted();
  }

  throwIfAborted(): void {
    if (this.signal?.aborted)
      throw new FlashError('CANCELED', 'flash canceled', {
        stage: this.stage,
        cause: this.signal.reason,
      });
  }

  /**
   * Writes and drains `bytes` within their line time plus slack. The deadline is kept here too,
   * so a Transport whose write or drain never settles still fails the flash (SERIAL_WRITE_TIMEOUT).
   * `{ drain: false }` only for bytes whose answer is read next, with a deadline that allows for
   * their line time (Transport WriteOptions).
   */
  async send(bytes: Uint8Array, options?: WriteOptions): Promise<void> {
    this.throwIfAborted();
    const timeoutMs = writeDeadlineMs(bytes.length, this.baud);
    await this.lineOperation(
      () => this.transport.write(bytes, timeoutMs, this.signal, options),
      timeoutMs,
      `write of ${bytes.length} bytes at ${this.baud} baud`,
    );
  }

  /** Reads exactly `length` bytes; a timeout becomes `onTimeout` with `what` in the message. */
  async recv(
    length: number,
    timeoutMs: number,
    onTimeout: FlashErrorCode,
    what: string,
  ): Promise<Uint8Array> {
    this.throwIfAborted();
    try {
      return await this.transport.read(length, timeoutMs, this.signal);
    } catch (error) {
      throw this.mapError(error, what, onTimeout, `no answer to ${what} within ${timeoutMs} ms`);
    }
  }

  async recvByte(timeoutMs: number, onTimeout: FlashErrorCode, what: string): Promise<number> {
    const [byte] = await this.recv(1, timeoutMs, onTimeout, what);
    return byte!;
  }

  /** Reads `expected.length` bytes and fails with `onMismatch` if they differ. */
  async expect(
    expected: Uint8Array,
    timeoutMs: number,
    onTimeout: FlashErrorCode,
    onMismatch: FlashErrorCode,
    what: string,
  ): Promise<void> {
    const got = await this.recv(expected.length, timeoutMs, onTimeout, what);
    if (!bytesEqual(got, expected)) {
      throw this.fail(onMismatch, `${what}: expected ${toHex(expected)}, got ${toHex(got)}`);
    }
  }

  /** Switches the host side of the line; a stuck adapter fails within LINE_CONTROL_TIMEOUT_MS. */
  async setBaud(baud: number): Promise<void> {
    await this.lineOperation(
      () => this.transport.setBaudRate(baud),
      LINE_CONTROL_TIMEOUT_MS,
      `setting ${baud} baud`,
    );
    this.baud = baud;
  }

  fail(code: FlashErrorCode, message: string, deviceStatus?: number): FlashError {
    return new FlashError(code, message, { stage: this.stage, deviceStatus });
  }

  /** A write or line change on the port: bounded here too, a port failure when it fails. */
  private async lineOperation(
    work: () => Promise<void>,
    timeoutMs: number,
    what: string,
  ): Promise<void> {
    try {
      await withDeadline(work(), timeoutMs, this.signal, what);
    } catch (error) {
      throw this.mapError(
        error,
        what,
        'SERIAL_WRITE_TIMEOUT',
        `${what} did not finish within ${timeoutMs} ms`,
        PORT_FAILURE,
      );
    }
  }

  private mapError(
    error: unknown,
    what: string,
    onTimeout: FlashErrorCode,
    timeoutMessage: string,
    otherwise?: FlashErrorCode,
  ): FlashError {
    return toFlashError(error, {
      stage: this.stage,
      what,
      onTimeout,
      otherwise,
      timeoutMessage,
      signal: this.signal,
    });
  }
}

export function progressOf(stage: FlashStage, bytes: number, totalBytes: number): FlashProgress {
  const percent = totalBytes > 0 ? Math.min(100, Math.floor((bytes * 100) / totalBytes)) : 0;
  return { stage, bytes, totalBytes, percent };
}
