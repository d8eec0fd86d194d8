// The emulator's end of a pty pair: reads through the serialport binding, writes through FdWriter.
import { SerialPort } from 'serialport';
import { FdWriter } from './fd-writer';
import { PtyError } from './socat-pair';

export interface DevicePort {
  /** Queues bytes for the host; never blocks and never stalls behind a full pty (FdWriter). */
  write(bytes: Uint8Array): void;
  /** Stop / restart reading, so the pty (and then the host's write) fills up: backpressure. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function openDevicePort(
  path: string,
  onData: (bytes: Uint8Array) => void,
  onError: (error: Error) => void,
): Promise<DevicePort> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false, highWaterMark: 1024 });
  await new Promise<void>((resolve, reject) =>
    port.open((error) =>
      error ? reject(new PtyError(`cannot open ${path}: ${error.message}`)) : resolve(),
    ),
  );
  const fd = port.port?.fd;
  if (typeof fd !== 'number') {
    await new Promise((resolve) => port.close(resolve));
    throw new PtyError(`cannot open ${path}: the binding gave no file descriptor`);
  }
  return new PtyDevicePort(port, fd, onData, onError);
}

class PtyDevicePort implements DevicePort {
  private readonly writer: FdWriter;

  constructor(
    private readonly port: SerialPort,
    fd: number,
    onData: (bytes: Uint8Array) => void,
    onError: (error: Error) => void,
  ) {
    this.writer = new FdWriter(
      fd,
      (error) =>
        onError(new PtyError(`write to ${port.path} failed: ${error.message}`, { cause: error })),
      // A vanished far end closes the port from its read loop; later output has nowhere to go.
      () => port.isOpen,
    );
    port.on('data', (chunk: Buffer) =>
      onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)),
    );
    port.on('error', onError);
  }

  write(bytes: Uint8Array): void {
    if (this.port.isOpen) this.writer.write(bytes);
  }

  pause(): void {
    this.port.pause();
  }

  resume(): void {
    this.port.resume();
  }

  async close(): Promise<void> {
    // No write may be in flight when the descriptor is closed (its number could be reused).
    await this.writer.stop();
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
