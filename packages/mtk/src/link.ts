import { bytesEqual, toHex } from './bytes/endian';
import type { FlashErrorCode } from './errors/catalogue';
import { FlashError } from './errors/flash-error';
import type { FlashStage } from './errors/stages';
import { TransportError, type Transport } from './transport';

export interface FlashProgress {
  stage: FlashStage;
  /** Bytes done / total within the stage (0/0 for stages without a byte count). */
  bytes: number;
  totalBytes: number;
  percent: number;
}

export type ProgressListener = (progress: FlashProgress) => void;

/**
 * A Transport bound to one flash: the current stage, the cancel signal, the line rate (for
 * timeouts that scale with data size) and progress reporting. Turns transport failures into
 * catalogue errors so every stage reports failures the same way.
 */
export class Link {
  stage: FlashStage = 'brom';
  baud = 115200;

  constructor(
    readonly transport: Transport,
    readonly signal?: AbortSignal,
    private readonly onProgress?: ProgressListener,
  ) {}

  progress(bytes: number, totalBytes: number): void {
    const percent = totalBytes > 0 ? Math.min(100, Math.floor((bytes * 100) / totalBytes)) : 0;
    this.onProgress?.({ stage: this.stage, bytes, totalBytes, percent });
  }

  /** Time the line needs for `bytes` at the current baud (10 bits per byte), in ms. */
  lineTimeMs(bytes: number): number {
    return Math.ceil((bytes * 10 * 1000) / this.baud);
  }

  throwIfAborted(): void {
    if (this.signal?.aborted) throw this.canceled(this.signal.reason);
  }

  async send(bytes: Uint8Array): Promise<void> {
    this.throwIfAborted();
    try {
      await this.transport.write(bytes);
    } catch (error) {
      throw this.mapTransportError(error, 'DOWNLOAD_FAIL', 'write');
    }
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
      throw this.mapTransportError(error, onTimeout, what, timeoutMs);
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

  fail(code: FlashErrorCode, message: string, deviceStatus?: number): FlashError {
    return new FlashError(code, message, { stage: this.stage, deviceStatus });
  }

  private canceled(reason: unknown): FlashError {
    return new FlashError('CANCELED', 'flash canceled', { stage: this.stage, cause: reason });
  }

  private mapTransportError(
    error: unknown,
    onTimeout: FlashErrorCode,
    what: string,
    timeoutMs?: number,
  ): Error {
    if (error instanceof FlashError) return error;
    if (this.signal?.aborted) return this.canceled(this.signal.reason);
    if (error instanceof TransportError) {
      if (error.disconnected) {
        return new FlashError('PORT_DISCONNECTED', `serial port disconnected during ${what}`, {
          stage: this.stage,
          cause: error,
        });
      }
      if (error.canceled) {
        return new FlashError('CANCELED', `port closed during ${what}`, {
          stage: this.stage,
          cause: error,
        });
      }
      if (error.timeout) {
        return new FlashError(onTimeout, `no answer to ${what} within ${timeoutMs ?? '?'} ms`, {
          stage: this.stage,
          cause: error,
        });
      }
    }
    const message = error instanceof Error ? error.message : String(error);
    return new FlashError(onTimeout, `${what} failed: ${message}`, {
      stage: this.stage,
      cause: error,
    });
  }
}
