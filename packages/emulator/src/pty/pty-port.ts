// The emulator's end of a pty pair, opened with the serialport binding.
import { SerialPort } from 'serialport';
import { PtyError } from './socat-pair';

export interface DevicePort {
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
  port.on('data', (chunk: Buffer) =>
    onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)),
  );
  port.on('error', onError);
  return {
    write(bytes) {
      if (port.isOpen) port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    },
    pause: () => void port.pause(),
    resume: () => void port.resume(),
    close() {
      if (!port.isOpen) return Promise.resolve();
      return new Promise((resolve) => port.close(() => resolve()));
    },
  };
}
