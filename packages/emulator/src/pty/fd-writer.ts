// Writes the module's output to the pty descriptor in order, retrying a full buffer on a timer.
//
// Why not the serialport stream: @serialport/bindings-cpp 13 waits for room with a uv_poll whose
// `poll(events)` restarts libuv with only the newest event. When the port's read loop re-arms
// "readable" while a write waits for "writable", that wait is dropped and the write never
// completes; the module falls silent with its answer half sent. Here the poller only ever
// watches reads.
import { write as fsWrite } from 'node:fs';

/** First and longest pause before retrying a full buffer (ms): quick to resume, cheap when idle. */
const RETRY_MIN_MS = 1;
const RETRY_MAX_MS = 16;

export class FdWriter {
  private queue: Uint8Array[] = [];
  /** Bytes of queue[0] already written. */
  private offset = 0;
  private retryMs = RETRY_MIN_MS;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = false;

  /**
   * @param fd the open descriptor (non-blocking, as serialport opens it)
   * @param onError a write the OS refused (EIO, EBADF); reported once, and everything queued
   *   then or later is dropped
   * @param isOpen false once the descriptor's owner starts closing it: nothing more is written
   *   (its number could be handed to another file)
   */
  constructor(
    private readonly fd: number,
    private readonly onError: (error: NodeJS.ErrnoException) => void,
    private readonly isOpen: () => boolean = () => true,
  ) {}

  write(bytes: Uint8Array): void {
    if (this.stopped || bytes.length === 0) return;
    this.queue.push(bytes);
    if (!this.inFlight && !this.timer) this.next();
  }

  /**
   * Drops what is queued and resolves once no write is in flight, so the caller may close the
   * descriptor without a late write landing on a reused descriptor number.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private next(): void {
    const chunk = this.queue[0];
    if (this.stopped || !chunk) return;
    if (!this.isOpen()) {
      this.queue = [];
      return;
    }
    this.inFlight = new Promise<void>((resolve) => {
      fsWrite(this.fd, chunk, this.offset, chunk.length - this.offset, null, (error, written) => {
        this.inFlight = null;
        resolve();
        this.settle(chunk, error, written);
      });
    });
  }

  private settle(chunk: Uint8Array, error: NodeJS.ErrnoException | null, written: number): void {
    if (this.stopped) return;
    if (error) {
      if (!isTryAgain(error)) {
        this.stopped = true;
        this.queue = [];
        this.onError(error);
        return;
      }
      // The kernel buffer is full (the host reads slower than the line, or not at all).
      this.timer = setTimeout(() => {
        this.timer = null;
        this.next();
      }, this.retryMs);
      this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
      return;
    }
    this.retryMs = RETRY_MIN_MS;
    this.offset += written;
    if (this.offset >= chunk.length) {
      this.queue.shift();
      this.offset = 0;
    }
    this.next();
  }
}

function isTryAgain(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EAGAIN' || error.code === 'EWOULDBLOCK' || error.code === 'EINTR';
}
