// Drives the C relay hub (relay-hub-source.ts): one process that owns the ptys of many slots. A
// jig starts one hub and opens a slot's pty in it per adapter; each open slot is a PtyRelay like
// the perl relay's, so the jig's slots do not know which one they have.
import { spawn, type ChildProcess } from 'node:child_process';
import { PtyError } from './errors';
import { MONOTONIC_TO_NOW } from './relay-frames';
import type { PtyRelay, RelayLineModel } from './relay-types';

const HEADER = 9;

interface OpenSlot {
  onData: (bytes: Uint8Array, readAt: number) => void;
  onGone: (() => void)[];
  gone: boolean;
  opened?: { resolve: () => void; reject: (error: Error) => void };
  closed?: () => void;
}

export interface HubSlotOptions {
  window: number;
  line?: RelayLineModel;
  onData: (bytes: Uint8Array, readAt?: number) => void;
  timeoutMs?: number;
}

function message(kind: string, id: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.write(kind, 0, 'latin1');
  out.writeUInt32LE(id, 1);
  out.writeUInt32LE(payload.length, 5);
  out.set(payload, HEADER);
  return out;
}

function float(value: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  out.writeDoubleLE(value, 0);
  return out;
}

export class RelayHub {
  private readonly slots = new Map<number, OpenSlot>();
  private nextId = 1;
  private pending: Buffer[] = [];
  private flushQueued = false;
  private input: Buffer = Buffer.alloc(0);
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => this.onChunk(chunk));
    child.stdin!.on('error', () => undefined);
    child.stderr!.resume();
    child.once('exit', () => {
      this.exited = true;
      for (const [id, slot] of this.slots) this.gone(id, slot, 'the relay hub exited');
    });
  }

  /**
   * Starts the hub binary (native-relay.ts built it) and waits for it to say it is ready. `label`
   * (a jig's folder) is on its command line, so `ps` and tests can tell whose slots it serves.
   */
  static async start(
    binary: string,
    { timeoutMs = 5000, label }: { timeoutMs?: number | undefined; label?: string } = {},
  ): Promise<RelayHub> {
    const args = [String(MONOTONIC_TO_NOW), ...(label ? [label] : [])];
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new PtyError(`the pty relay hub did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (!log.includes('ready hub')) return;
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        child.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new PtyError(`the pty relay hub exited with code ${code}: ${log.trim()}`));
      };
      child.stderr!.on('data', onData);
      child.once('exit', onExit);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new PtyError(`cannot start the pty relay hub: ${error.message}`));
      });
    });
    return new RelayHub(child);
  }

  /** Creates the host's pty at `hostPath` and relays it like pty-relay.ts's relay. */
  async open(hostPath: string, options: HubSlotOptions): Promise<PtyRelay> {
    if (this.exited) throw new PtyError(`the pty relay hub is gone: cannot create ${hostPath}`);
    const id = this.nextId++;
    const slot: OpenSlot = {
      onData: (bytes, readAt) => options.onData(bytes, readAt + MONOTONIC_TO_NOW),
      onGone: [],
      gone: false,
    };
    this.slots.set(id, slot);
    const timeoutMs = options.timeoutMs ?? 5000;
    const opened = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new PtyError(`pty relay did not create ${hostPath} within ${timeoutMs} ms`));
        this.send(message('C', id));
      }, timeoutMs);
      slot.opened = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
    });
    const line = options.line ?? { frameMs: 0, baud: 115200 };
    this.send(
      message(
        'O',
        id,
        Buffer.concat([
          float(options.window),
          float(line.frameMs),
          float(line.baud),
          Buffer.from(hostPath),
        ]),
      ),
    );
    await opened;
    const gated = options.window > 0;
    let controlWrites = 0;
    const tell = (kind: string, value: number) => {
      this.send(message(kind, id, float(value)));
      controlWrites++;
    };
    return {
      hostPath,
      timed: true,
      program: 'native',
      write: (bytes, due) => {
        if (slot.gone || bytes.length === 0) return;
        const at = due !== undefined ? Math.max(due - MONOTONIC_TO_NOW, 1e-9) : 0;
        this.send(message('W', id, Buffer.concat([float(at), bytes])));
      },
      // The hub keeps time: it drains by its own model and takes no credits.
      credit: () => undefined,
      setBaud: (baud) => {
        if (!slot.gone && gated) tell('B', baud);
      },
      dropped: (count) => {
        if (!slot.gone && gated && count > 0) tell('D', count);
      },
      discardAfter: (time) => {
        if (!slot.gone) this.send(message('K', id, float(time - MONOTONIC_TO_NOW)));
      },
      get controlWrites() {
        return controlWrites;
      },
      onGone: (listener) => {
        if (slot.gone) queueMicrotask(listener);
        else slot.onGone.push(listener);
      },
      close: async () => {
        if (slot.gone) return;
        const closed = new Promise<void>((resolve) => (slot.closed = resolve));
        this.send(message('C', id));
        await closed;
      },
    };
  }

  /** The hub's process id (a test kills it as a crash would). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Ends the hub: every link is removed and every host's port hangs up. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.flush();
    this.child.stdin!.end();
    await exited;
  }

  /**
   * Messages go out together once the current task is done: the answers a chunk of frames causes
   * cost the hub one wake-up, not one each.
   */
  private send(bytes: Buffer): void {
    if (this.exited) return;
    this.pending.push(bytes);
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.pending.length === 0 || this.exited) return;
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.child.stdin!.write(bytes);
  }

  private onChunk(chunk: Buffer): void {
    let data = this.input.length > 0 ? Buffer.concat([this.input, chunk]) : chunk;
    while (data.length >= HEADER) {
      const length = data.readUInt32LE(5);
      if (data.length < HEADER + length) break;
      const kind = String.fromCharCode(data[0]!);
      const id = data.readUInt32LE(1);
      const payload = data.subarray(HEADER, HEADER + length);
      data = data.subarray(HEADER + length);
      const slot = this.slots.get(id);
      if (!slot) continue;
      if (kind === 'F') {
        const bytes = new Uint8Array(payload.buffer, payload.byteOffset + 8, payload.length - 8);
        slot.onData(bytes, payload.readDoubleLE(0));
      } else if (kind === 'R') {
        slot.opened?.resolve();
      } else if (kind === 'E') {
        this.slots.delete(id);
        slot.gone = true;
        slot.opened?.reject(new PtyError(`cannot create the pty: ${payload.toString()}`));
      } else if (kind === 'X') {
        this.gone(id, slot, payload.toString());
      }
    }
    this.input = data.length > 0 ? Buffer.from(data) : Buffer.alloc(0);
  }

  private gone(id: number, slot: OpenSlot, why: string): void {
    this.slots.delete(id);
    if (slot.gone) return;
    slot.gone = true;
    slot.opened?.reject(new PtyError(`the pty relay hub dropped the slot: ${why}`));
    slot.closed?.();
    for (const listener of slot.onGone) listener();
  }
}
