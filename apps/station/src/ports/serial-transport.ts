// The only code that turns a real serial port into the protocol's Transport (style guide 15).
import { writeSync } from 'node:fs';
import {
  ByteQueue,
  FlashError,
  LINE_CONTROL_TIMEOUT_MS,
  lineTimeMs,
  TransportError,
  withDeadline,
  type Transport,
  type WriteOptions,
} from '@station/mtk';
import { SerialPort } from 'serialport';
import { isTryAgain, PortReader, type ReadablePoller } from './port-reader';

export interface SerialTransportOptions {
  path: string;
  baudRate?: number;
  /** Told the bytes each write hands to the kernel, as it goes (metrics: serial bytes per slot). */
  onWritten?: (bytes: number) => void;
}

export interface ModemSignals {
  dtr?: boolean;
  rts?: boolean;
}

/** How long opening a port may take (the driver answers at once, or the adapter is sick). */
const OPEN_TIMEOUT_MS = 5000;
/** The longest wait before retrying a write into a full adapter. */
const MAX_FULL_PAUSE_MS = 100;
/** How long closing may take before the port is given up (a stuck drain can hold it). */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * Adapts `serialport` to Transport: the station's own read loop (port-reader.ts) feeds a
 * ByteQueue so a read resolves as soon as its bytes are there; writes go to the descriptor and
 * resolve after drain, within their deadline; close rejects pending reads (canceled); the port
 * vanishing (adapter unplugged) rejects them as disconnected. `serialport` opens, configures,
 * drains and closes the port; its stream never reads or writes.
 *
 * Why writes bypass the stream: @serialport/bindings-cpp 13 waits for room in the kernel buffer
 * with a uv_poll whose `poll(events)` restarts libuv with only the newest event. When the read
 * loop re-arms "readable" while a write waits for "writable", the write's wait is silently
 * dropped and it never completes: a flash stuck at "da-upload 14 %" (where the first 20 KiB fill
 * a tty) with no error, more often on a loaded host. Here a full buffer is retried on a timer
 * instead, so the poller only ever watches reads.
 */
export class SerialTransport implements Transport {
  private readonly queue = new ByteQueue();
  private readonly reader: PortReader;
  private closing = false;
  /** Drains (tcdrain, one libuv pool thread each) issued so far: benches and tests count them. */
  drains = 0;
  /** When the line will have sent every byte written so far, at the earliest (performance.now). */
  private lineBusyUntil = 0;

  private constructor(
    private readonly port: SerialPort,
    private readonly onWritten?: (bytes: number) => void,
  ) {
    this.reader = new PortReader({
      descriptor: () => port.port?.fd ?? null,
      poller: (port.port as unknown as { poller: ReadablePoller }).poller,
      onBytes: (bytes) => this.queue.push(bytes),
      onFailure: (error) => this.lost(error),
    });
    this.reader.start();
    port.on('error', () => {
      // Errors surface through the pending operation or the 'close' event below.
    });
    port.on('close', (error: (Error & { disconnected?: boolean }) | null) => {
      const disconnected = !this.closing || Boolean(error?.disconnected);
      this.queue.close(
        disconnected
          ? new TransportError(
              `serial port ${port.path} disconnected`,
              { disconnected: true },
              { cause: error },
            )
          : new TransportError(`serial port ${port.path} closed`, { canceled: true }),
      );
    });
  }

  static async open(options: SerialTransportOptions): Promise<SerialTransport> {
    const port = new SerialPort({
      path: options.path,
      baudRate: options.baudRate ?? 115200,
      autoOpen: false,
    });
    const opening = new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(error) : resolve())),
    );
    try {
      await withDeadline(opening, OPEN_TIMEOUT_MS, undefined, `opening ${options.path}`);
    } catch (error) {
      // An open that completes after its deadline must not leave the port held.
      opening.then(() => port.close(() => undefined)).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      throw new FlashError('PORT_OPEN_FAIL', `cannot open ${options.path}: ${message}`, {
        stage: 'preflight',
        cause: error,
      });
    }
    return new SerialTransport(port, options.onWritten);
  }

  get path(): string {
    return this.port.path;
  }

  async write(
    data: Uint8Array,
    timeoutMs: number,
    signal?: AbortSignal,
    options?: WriteOptions,
  ): Promise<void> {
    this.assertOpen();
    const drain = options?.drain ?? true;
    if (signal?.aborted)
      throw new TransportError(
        `write to ${this.port.path} canceled`,
        { canceled: true },
        { cause: signal.reason },
      );
    // Most undrained writes (a WRITE packet into an empty adapter) fit at once: no deadline,
    // timer or promise to set up for them.
    const accepted = this.writeNow(data, 0);
    if (accepted === data.length && !drain) return;
    // Once the caller stops waiting (deadline or cancel), the rest of `data` is dropped. A plain
    // flag, not an AbortController: aborting one builds a DOMException, once per 4 KiB packet.
    const stop = new WriteStop();
    try {
      await withDeadline(
        this.writeAndDrain(data, accepted, stop, drain),
        timeoutMs,
        signal,
        `write of ${data.length} bytes to ${this.port.path}`,
      );
    } finally {
      stop.stop();
    }
  }

  read(length: number, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.queue.read(length, timeoutMs, signal);
  }

  async setBaudRate(baud: number): Promise<void> {
    if (this.port.baudRate === baud) return;
    await withDeadline(
      new Promise<void>((resolve, reject) =>
        this.port.update({ baudRate: baud }, (error) =>
          error ? reject(this.wrap(error)) : resolve(),
        ),
      ),
      LINE_CONTROL_TIMEOUT_MS,
      undefined,
      `setting ${baud} baud on ${this.port.path}`,
    );
  }

  discardInput(): void {
    this.queue.clear();
  }

  /** Drives the adapter's DTR/RTS lines (power control wired to them). */
  async setSignals(signals: ModemSignals): Promise<void> {
    await withDeadline(
      new Promise<void>((resolve, reject) =>
        this.port.set(signals, (error) => (error ? reject(this.wrap(error)) : resolve())),
      ),
      LINE_CONTROL_TIMEOUT_MS,
      undefined,
      `setting DTR/RTS on ${this.port.path}`,
    );
  }

  /** Closes the port; settles within CLOSE_TIMEOUT_MS even if the driver does not. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.reader.stop();
    this.queue.close(
      new TransportError(`serial port ${this.port.path} closed`, { canceled: true }),
    );
    if (!this.port.isOpen) return;
    const closed = new Promise<void>((resolve) => this.port.close(() => resolve()));
    await withDeadline(closed, CLOSE_TIMEOUT_MS, undefined, 'close').catch(() => undefined);
  }

  private async writeAndDrain(
    data: Uint8Array,
    accepted: number,
    stop: WriteStop,
    drain: boolean,
  ): Promise<void> {
    let offset = accepted;
    // The shortest wait: ~256 bytes of line time, as before the back-off. A line held longer
    // than its bytes' line time (flow control, an unpaced pty) is retried no more often.
    const minPauseMs = Math.min(
      MAX_FULL_PAUSE_MS,
      Math.max(1, lineTimeMs(256, this.port.baudRate)),
    );
    let pauseMs = minPauseMs;
    while (offset < data.length && !stop.stopped) {
      // The adapter's buffer is full. Each retry that fails is a thrown error, so the pause
      // doubles while it stays full, but never beyond half of what the line still has to send
      // of this port's earlier writes: the line never runs dry meanwhile.
      await stop.pause(Math.max(minPauseMs, Math.min(pauseMs, this.queuedLineMs() / 2)));
      pauseMs = Math.min(MAX_FULL_PAUSE_MS, pauseMs * 2);
      if (stop.stopped) break;
      offset = this.writeNow(data, offset);
    }
    if (stop.stopped || !drain) return;
    this.drains += 1;
    await new Promise<void>((resolve, reject) =>
      this.port.drain((error) => (error ? reject(this.lost(error)) : resolve())),
    );
  }

  /**
   * Line time still owed to bytes already written, at the least: as if each write started on
   * the line at once (a real line is never faster; an unpaced pty is).
   */
  private queuedLineMs(): number {
    return Math.max(0, this.lineBusyUntil - performance.now());
  }

  /**
   * write(2) on the non-blocking descriptor, on this thread: it copies into the kernel's buffer
   * and returns at once. An fs.write would hop to the libuv pool and back for each 4 KiB packet,
   * which at 128 slots costs more CPU than the copy itself. Returns the new offset: short of the
   * end when the kernel's buffer is full (EAGAIN or a short write).
   */
  private writeNow(data: Uint8Array, offset: number): number {
    let written = 0;
    try {
      written = writeSync(this.descriptor(), data, offset, data.length - offset);
    } catch (error) {
      if (!isTryAgain(error)) throw this.lost(error as Error);
    }
    if (written > 0) {
      const now = performance.now();
      this.lineBusyUntil =
        Math.max(now, this.lineBusyUntil) + lineTimeMs(written, this.port.baudRate);
      this.onWritten?.(written);
    }
    return offset + written;
  }

  /** The open port's file descriptor (the unix bindings are the only ones a station runs). */
  private descriptor(): number {
    this.assertOpen();
    const fd = this.port.port?.fd;
    if (typeof fd !== 'number')
      throw new TransportError(`serial port ${this.port.path} has no file descriptor`, {
        disconnected: true,
      });
    return fd;
  }

  private assertOpen(): void {
    if (!this.port.isOpen)
      throw new TransportError(`serial port ${this.port.path} is not open`, {
        disconnected: !this.closing,
        canceled: this.closing,
      });
  }

  /**
   * A write the OS refused (EIO, ENXIO: the adapter or the pty's far end is gone). The port is
   * done for: pending and later reads fail at once, as the stream does for its own writes.
   */
  private lost(error: Error): TransportError {
    const failure = this.wrap(error);
    this.reader.stop();
    if (!this.closing) {
      this.queue.close(failure);
      if (this.port.isOpen) this.port.close(() => undefined);
    }
    return failure;
  }

  private wrap(error: Error): TransportError {
    return new TransportError(
      error.message,
      { disconnected: !this.closing, canceled: this.closing },
      { cause: error },
    );
  }
}

/** Ends one write's loop once its caller stops waiting, and cuts its retry pause short. */
class WriteStop {
  stopped = false;
  private wake: (() => void) | undefined;

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Waits `ms`, or less if the write is stopped meanwhile. */
  pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        this.wake = undefined;
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
