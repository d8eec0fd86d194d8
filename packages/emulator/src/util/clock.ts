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

export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(fn, ms) {
    const due = performance.now() + Math.max(0, ms);
    let cancelled = false;
    let handle: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;
    let immediate = false;
    const arm = (): void => {
      const left = due - performance.now();
      if (left <= TIMER_TOLERANCE_MS) {
        // Due within half a millisecond: run after pending I/O, not a whole loop tick later.
        immediate = true;
        handle = setImmediate(run);
      } else {
        immediate = false;
        // Node truncates the wait to whole ms and fires on its next loop tick: asking for the
        // rounded wait fires within about half a millisecond of due in one timer; `check`
        // re-arms only if the loop's stale clock made it come more than that early.
        handle = setTimeout(check, Math.round(left));
      }
    };
    const run = (): void => {
      if (!cancelled) fn();
    };
    const check = (): void => {
      if (cancelled) return;
      if (due - performance.now() <= TIMER_TOLERANCE_MS) fn();
      else arm();
    };
    arm();
    return () => {
      cancelled = true;
      if (handle === null) return;
      if (immediate) clearImmediate(handle as ReturnType<typeof setImmediate>);
      else clearTimeout(handle as ReturnType<typeof setTimeout>);
    };
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
