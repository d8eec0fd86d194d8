import { ByteQueue } from '../bytes/byte-queue';
import { TransportError, type Transport, type WriteOptions } from '../transport';

/** One end of an in-memory byte pipe. Exposes what a test needs to inspect. */
export class MemoryTransport implements Transport {
  readonly incoming = new ByteQueue();
  peer: MemoryTransport | undefined;
  baud = 115200;
  closed = false;
  /** Deliver writes to the peer in pieces of this many bytes (tests of split reads). */
  fragment: number | undefined;
  /** Every chunk written by this end, in order (copies). */
  readonly written: Uint8Array[] = [];
  /** Whether each chunk in `written` asked for a drain (WriteOptions). */
  readonly drained: boolean[] = [];

  /** Hands the bytes over at once, so the deadline can never pass; a cancel still counts. */
  async write(
    data: Uint8Array,
    _timeoutMs?: number,
    signal?: AbortSignal,
    options?: WriteOptions,
  ): Promise<void> {
    if (signal?.aborted)
      throw new TransportError('write canceled', { canceled: true }, { cause: signal.reason });
    if (this.closed) throw new TransportError('port is closed', { disconnected: true });
    const copy = data.slice();
    this.written.push(copy);
    this.drained.push(options?.drain ?? true);
    const step = this.fragment ?? copy.length;
    for (let i = 0; i < copy.length; i += step)
      this.peer?.incoming.push(copy.subarray(i, i + step));
  }

  read(length: number, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.incoming.read(length, timeoutMs, signal);
  }

  async setBaudRate(baud: number): Promise<void> {
    this.baud = baud;
  }

  discardInput(): void {
    this.incoming.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.incoming.close(new TransportError('port closed', { canceled: true }));
  }

  /** Simulates the adapter vanishing: pending and later reads fail as disconnected. */
  unplug(): void {
    this.closed = true;
    this.incoming.close(new TransportError('device disconnected', { disconnected: true }));
  }

  /** All bytes this end has written, concatenated. */
  allWritten(): Uint8Array {
    const total = this.written.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.written) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

/** A connected pair: what `host` writes, `device` reads, and vice versa. */
export function createMemoryTransportPair(): { host: MemoryTransport; device: MemoryTransport } {
  const host = new MemoryTransport();
  const device = new MemoryTransport();
  host.peer = device;
  device.peer = host;
  return { host, device };
}
