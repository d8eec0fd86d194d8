// Test helper: the host end of a virtual slot, opened with the real serialport binding.
import type { EventEmitter } from 'node:events';
import { waitForEvent } from '@station/testkit';
import { SerialPort } from 'serialport';

export class HostPort {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  private constructor(readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(path: string, baudRate = 115200): Promise<HostPort> {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    return new HostPort(port);
  }

  write(bytes: ArrayLike<number> | string): void {
    this.port.write(
      typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(Array.from(bytes)),
    );
  }

  /** Resolves with exactly `count` bytes, or rejects after `timeoutMs` with what arrived. */
  async read(count: number, timeoutMs = 2000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timeout: wanted ${count} bytes, got ${this.buffer.toString('hex')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    const out = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return out;
  }

  /** Reads until the text ends with `suffix`. */
  async readUntil(suffix: string, timeoutMs = 2000): Promise<string> {
    let text = '';
    while (!text.endsWith(suffix)) text += (await this.read(1, timeoutMs)).toString('latin1');
    return text;
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}

/** Resolves when the module reaches `state` (event-driven), or fails after `timeoutMs`. */
export async function waitForState(
  module: {
    state: string;
    on(e: 'state', l: (s: string) => void): unknown;
    off(e: 'state', l: (s: string) => void): unknown;
  },
  state: string,
  timeoutMs = 10_000,
): Promise<void> {
  await waitForEvent<[string]>(module as unknown as EventEmitter, 'state', {
    what: `the module to reach state ${state} (it is ${module.state})`,
    accept: (s) => s === state,
    ready: () => module.state === state,
    timeoutMs,
  });
}
