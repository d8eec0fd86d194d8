// The station's own read loop for one serial port: read(2) on the event-loop thread whenever the
// binding's poller reports the descriptor readable (docs/speed-work.md §15).
//
// Why not the serialport stream's reads: each chunk cost a libuv pool hop for the read and a
// second hop for the read that found nothing (EAGAIN) before it waited on the poller. At 128
// slots that was the station agent's largest cost, and the pool is shared with every slot's
// drains. The descriptor is non-blocking (the binding opens it O_NONBLOCK), so read(2) here
// returns at once.
import { readSync } from 'node:fs';

/** The part of @serialport/bindings-cpp's Poller this loop uses (level-triggered uv_poll). */
export interface ReadablePoller {
  once(event: 'readable', callback: (error: Error | null) => void): unknown;
}

export interface PortReaderOptions {
  /** The open port's descriptor; null once it is closed. */
  descriptor: () => number | null;
  poller: ReadablePoller;
  /** Bytes as they arrive; the buffer is never reused, so it may be kept. */
  onBytes: (bytes: Uint8Array) => void;
  /**
   * The port failed (EIO/ENXIO: the adapter or the pty's far end is gone; a read of 0 bytes: the
   * tty was hung up) or the poller failed. Not called after `stop()`.
   */
  onFailure: (error: Error) => void;
}

/** Reads land in slices of one buffer until it runs low, so a 1-byte ACK costs no allocation. */
const POOL_BYTES = 64 * 1024;
const MIN_SPACE_BYTES = 4 * 1024;

export class PortReader {
  private pool = Buffer.allocUnsafe(POOL_BYTES);
  private used = 0;
  private stopped = false;

  constructor(private readonly options: PortReaderOptions) {}

  start(): void {
    this.drain();
  }

  /** No more reads or callbacks (the port is being closed). */
  stop(): void {
    this.stopped = true;
  }

  private drain(): void {
    while (!this.stopped) {
      const fd = this.options.descriptor();
      if (fd === null) return;
      if (POOL_BYTES - this.used < MIN_SPACE_BYTES) {
        this.pool = Buffer.allocUnsafe(POOL_BYTES);
        this.used = 0;
      }
      const space = POOL_BYTES - this.used;
      let count: number;
      try {
        count = readSync(fd, this.pool, this.used, space, null);
      } catch (error) {
        if (isTryAgain(error)) break;
        this.fail(error as Error);
        return;
      }
      if (count === 0) {
        // A non-blocking tty with nothing to read says EAGAIN; 0 means it was hung up.
        this.fail(Object.assign(new Error('the serial port was hung up'), { code: 'EIO' }));
        return;
      }
      const bytes = this.pool.subarray(this.used, this.used + count);
      this.used += count;
      this.options.onBytes(bytes);
      // A read short of the space emptied the kernel's buffer: wait for the poller rather than
      // pay for a read that fails with EAGAIN (a thrown error costs more than the read).
      if (count < space) break;
    }
    if (!this.stopped) this.options.poller.once('readable', this.onReadable);
  }

  private readonly onReadable = (error: Error | null): void => {
    if (this.stopped) return;
    if (error) this.fail(error);
    else this.drain();
  };

  private fail(error: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    this.options.onFailure(error);
  }
}

export function isTryAgain(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR';
}
