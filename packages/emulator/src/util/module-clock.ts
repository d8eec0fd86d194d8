// A module's own time, as a discrete-event model keeps it: the modelled time of the event the
// module is handling (host bytes arriving, one of its timers, power), not when this process got
// round to it. It lets the line hand a module host bytes before they have finished arriving by
// the model, to a host side that writes the answers no earlier than their modelled time
// (docs/speed-work.md §28), and it keeps a late wake-up of this process out of the answers' times.
import type { Clock } from './clock';

export class ModuleClock implements Clock {
  private current = Number.NEGATIVE_INFINITY;
  /** Due times of the timers set and not yet fired or cancelled. */
  private readonly dues: number[] = [];
  private readonly fired: (() => void)[] = [];

  constructor(private readonly base: Clock) {}

  /** The time of the event being handled. */
  now(): number {
    return this.current;
  }

  /** This process's clock now (the module may be ahead of it, or behind). */
  realNow(): number {
    return this.base.now();
  }

  /**
   * The module starts handling an event that happened at `at` (default: now by the real clock,
   * for power and seating, which the jig does in real time). Its time never goes back: an event
   * met late is handled at the module's time if that is later.
   */
  enter(at: number = this.base.now()): void {
    if (at > this.current) this.current = at;
  }

  /**
   * The earliest due time of a pending timer (Infinity: none). Host bytes that arrive after it
   * wait for that timer: events are handled in the order of their times, whatever order this
   * process learns of them in (a BROM window may close before a start byte arrives).
   */
  nextDue(): number {
    return this.dues.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...this.dues);
  }

  /** Called after every timer that fires (a reader held back by nextDue() may go on). */
  onFired(listener: () => void): void {
    this.fired.push(listener);
  }

  /**
   * `ms` after the event being handled: fires once the real clock gets there (never earlier) and
   * is handled at that modelled time, however late this process wakes.
   */
  setTimer(fn: () => void, ms: number): () => void {
    const due = this.current + Math.max(0, ms);
    this.dues.push(due);
    let live = true;
    const settle = () => {
      if (!live) return false;
      live = false;
      this.dues.splice(this.dues.indexOf(due), 1);
      return true;
    };
    const cancel = this.base.setTimer(() => {
      if (!settle()) return;
      this.enter(due);
      fn();
      for (const listener of this.fired) listener();
    }, due - this.base.now());
    return () => {
      if (settle()) cancel();
    };
  }
}
