// The only code that turns a real serial port into the protocol's Transport (style guide 15).
import { ByteQueue, FlashError, TransportError, type Transport } from '@station/mtk';
import { SerialPort } from 'serialport';

export interface SerialTransportOptions {
  path: string;
  baudRate?: number;
}

export interface ModemSignals {
  dtr?: boolean;
  rts?: boolean;
}

/**
 * Adapts `serialport` to Transport: 'data' events feed a ByteQueue so a read resolves as soon
 * as its bytes are there; writes resolve after drain; close rejects pending reads (canceled);
 * the port vanishing (adapter unplugged) rejects them as disconnected.
 */
export class SerialTransport implements Transport {
  private readonly queue = new ByteQueue();
  private closing = false;

  private constructor(private readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => this.queue.push(chunk));
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
    try {
      await new Promise<void>((resolve, reject) =>
        port.open((error) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new FlashError('PORT_OPEN_FAIL', `cannot open ${options.path}: ${message}`, {
        stage: 'preflight',
        cause: error,
      });
    }
    return new SerialTransport(port);
  }

  get path(): string {
    return this.port.path;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.port.isOpen)
      throw new TransportError(`serial port ${this.port.path} is not open`, {
        disconnected: !this.closing,
        canceled: this.closing,
      });
    const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await new Promise<void>((resolve, reject) => {
      this.port.write(buffer, (error) => (error ? reject(this.wrap(error)) : undefined));
      this.port.drain((error) => (error ? reject(this.wrap(error)) : resolve()));
    });
  }

  read(length: number, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.queue.read(length, timeoutMs, signal);
  }

  async setBaudRate(baud: number): Promise<void> {
    if (this.port.baudRate === baud) return;
    await new Promise<void>((resolve, reject) =>
      this.port.update({ baudRate: baud }, (error) =>
        error ? reject(this.wrap(error)) : resolve(),
      ),
    );
  }

  discardInput(): void {
    this.queue.clear();
  }

  /** Drives the adapter's DTR/RTS lines (power control wired to them). */
  async setSignals(signals: ModemSignals): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.port.set(signals, (error) => (error ? reject(this.wrap(error)) : resolve())),
    );
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.queue.close(
      new TransportError(`serial port ${this.port.path} closed`, { canceled: true }),
    );
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  private wrap(error: Error): TransportError {
    return new TransportError(
      error.message,
      { disconnected: !this.closing, canceled: this.closing },
      { cause: error },
    );
  }
}
