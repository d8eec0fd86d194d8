// A device firmware (BROM, DA, AT) is written as a generator that yields what it waits for:
// `yield* read(n)` suspends until n host bytes arrived, `yield* delay(ms)` models busy time
// (erase, program, reboot). The runner below feeds it bytes, so the protocol code reads top to
// bottom like the reference while staying a pure state machine fed through `feed(chunk)`.
import type { ModuleClock } from '../util/module-clock';

export type Op = { kind: 'read'; count: number } | { kind: 'delay'; ms: number };
export type Program<T = void> = Generator<Op, T, Uint8Array>;

export function* read(count: number): Program<Uint8Array> {
  return yield { kind: 'read', count };
}

export function* readByte(): Program<number> {
  const bytes = yield { kind: 'read', count: 1 };
  return bytes[0] as number;
}

export function* delay(ms: number): Program<void> {
  if (ms > 0) yield { kind: 'delay', ms };
}

const EMPTY = new Uint8Array(0);

/** Runs one program; bytes fed while it is busy (delay) queue up like a UART RX FIFO. */
export class ProgramRunner {
  private chunks: Uint8Array[] = [];
  /** When each chunk's last byte arrived (the module's clock). */
  private arrivals: number[] = [];
  private buffered = 0;
  private pending: Op | null = null;
  private cancelTimer: (() => void) | null = null;
  private finished = false;

  constructor(
    private readonly program: Program<unknown>,
    private readonly clock: ModuleClock,
    private readonly onError: (error: unknown) => void,
  ) {
    this.resume(EMPTY);
  }

  /** Host bytes whose last one arrived at `at` (the module's clock; default: now). */
  feed(bytes: Uint8Array, at?: number): void {
    if (this.finished || bytes.length === 0) return;
    this.chunks.push(bytes);
    this.arrivals.push(at ?? this.clock.realNow());
    this.buffered += bytes.length;
    this.pump();
  }

  /** Stops the program (power loss): no further output, timers cancelled. */
  stop(): void {
    this.finished = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.chunks = [];
    this.arrivals = [];
    this.buffered = 0;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Goes on with bytes held back for a timer that has now fired. */
  pump(): void {
    while (!this.finished && this.pending?.kind === 'read' && this.buffered >= this.pending.count) {
      // A timer of the module due before these bytes arrive is handled first (module-clock.ts).
      const arrival = this.arrivalOf(this.pending.count);
      if (arrival > this.clock.nextDue()) return;
      const bytes = this.take(this.pending.count);
      // The program goes on when the last byte it waited for arrived, not before.
      this.clock.enter(arrival);
      this.resume(bytes);
    }
  }

  private resume(value: Uint8Array): void {
    let result: IteratorResult<Op, unknown>;
    try {
      result = this.program.next(value);
    } catch (error) {
      this.finished = true;
      this.onError(error);
      return;
    }
    if (this.finished) return; // stopped from inside the step (power loss, jump to the DA)
    if (result.done) {
      this.finished = true;
      this.pending = null;
      return;
    }
    this.pending = result.value;
    if (result.value.kind === 'delay') {
      this.cancelTimer = this.clock.setTimer(() => {
        this.cancelTimer = null;
        this.resume(EMPTY);
        this.pump();
      }, result.value.ms);
    }
  }

  /** When the `count`-th buffered byte arrived (its chunk's arrival: never too early). */
  private arrivalOf(count: number): number {
    let seen = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      seen += this.chunks[i]!.length;
      if (seen >= count) return this.arrivals[i]!;
    }
    return Number.POSITIVE_INFINITY;
  }

  private take(count: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length === count) {
      this.shift();
      this.buffered -= count;
      return first;
    }
    if (first.length > count) {
      this.chunks[0] = first.subarray(count);
      this.buffered -= count;
      return first.subarray(0, count);
    }
    const out = new Uint8Array(count);
    let at = 0;
    while (at < count) {
      const chunk = this.chunks[0]!;
      const need = count - at;
      if (chunk.length <= need) {
        out.set(chunk, at);
        at += chunk.length;
        this.shift();
      } else {
        out.set(chunk.subarray(0, need), at);
        this.chunks[0] = chunk.subarray(need);
        at += need;
      }
    }
    this.buffered -= count;
    return out;
  }

  private shift(): void {
    this.chunks.shift();
    this.arrivals.shift();
  }
}
