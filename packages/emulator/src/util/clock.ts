// Time source for the device model. Real timers by default; tests inject a manual clock so the
// byte-level state machine can be driven without sleeping.
export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): () => void;
}

/**
 * Timers fire within half a millisecond of their due time, early or late, instead of always
 * late. Node's timers run on an integer millisecond loop clock and round every wait up (a
 * 0.3 ms wait fires after 1 ms or more), so a chain of sub-ms waits, as the paced line makes
 * per turnaround, would add about a millisecond per link that no UART or adapter has
 * (docs/emulator.md "Timing model").
 */
export const TIMER_TOLERANCE_MS = 0.5;

/**
 * One timer of realClock. A class with Node's timer arguments instead of closures: the paced
 * lines set thousands of timers a second at many slots, and under tsx every named closure also
 * costs a property definition (esbuild keepNames).
 */
class RealTimer {
  private cancelled = false;
  private handle: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;
  private immediate = false;

  constructor(
    private readonly fn: () => void,
    private readonly due: number,
  ) {
    this.arm();
  }

  arm(): void {
    const left = this.due - performance.now();
    if (left <= TIMER_TOLERANCE_MS) {
      // Due within half a millisecond: run after pending I/O, not a whole loop tick later.
      this.immediate = true;
      this.handle = setImmediate(runTimer, this);
    } else {
      this.immediate = false;
      // Node truncates the wait to whole ms and fires on its next loop tick: asking for the
      // rounded wait fires within about half a millisecond of due in one timer; `check`
      // re-arms only if the loop's stale clock made it come more than that early.
      this.handle = setTimeout(checkTimer, Math.round(left), this);
    }
  }

  run(): void {
    if (!this.cancelled) this.fn();
  }

  check(): void {
    if (this.cancelled) return;
    if (this.due - performance.now() <= TIMER_TOLERANCE_MS) this.fn();
    else this.arm();
  }

  cancel(): void {
    this.cancelled = true;
    if (this.handle === null) return;
    if (this.immediate) clearImmediate(this.handle as ReturnType<typeof setImmediate>);
    else clearTimeout(this.handle as ReturnType<typeof setTimeout>);
  }
}

function runTimer(timer: RealTimer): void {
  timer.run();
}

function checkTimer(timer: RealTimer): void {
  timer.check();
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(fn, ms) {
    const timer = new RealTimer(fn, performance.now() + Math.max(0, ms));
    return () => timer.cancel();
  },
};

/** A clock that only moves when told to; timers fire in due order inside `advance`. */
export class ManualClock implements Clock {
  private time = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const id = this.seq++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return () => this.timers.delete(id);
  }

  /** Moves time forward by `ms`, firing every timer that falls due (including ones they set). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fn();
    }
    this.time = end;
  }
}
