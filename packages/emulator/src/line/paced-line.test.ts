// The module's output reaches the host in the order it left the wire, whatever order the
// platform's timers fire in. Node gives no order between timers of different durations due at
// about the same time (one list per duration), and a timer may run late: a clock whose timers
// the test fires by hand shows both.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../util/clock';
import { PacedLine } from './paced-line';

interface HandTimer {
  at: number;
  fn: () => void;
  live: boolean;
}

/** Time moves and timers fire only when the test says, in any order it chooses. */
class HandClock implements Clock {
  time = 0;
  readonly timers: HandTimer[] = [];

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer = { at: this.time + Math.max(0, ms), fn, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  }

  pending(): HandTimer[] {
    return this.timers.filter((t) => t.live);
  }

  fire(timer: HandTimer): void {
    this.time = Math.max(this.time, timer.at);
    timer.live = false;
    timer.fn();
  }

  /** Fires due timers, earliest first, until none is left (the honest order). */
  settle(): void {
    for (;;) {
      const next = this.pending().sort((a, b) => a.at - b.at)[0];
      if (!next) return;
      this.fire(next);
    }
  }
}

const bytesOf = (n: number, value: number) => new Uint8Array(n).fill(value);

describe('PacedLine output order', () => {
  it('a batch due now waits behind one the latency timer still holds, even when its timer is late', () => {
    const clock = new HandClock();
    const seen: number[] = [];
    const line = new PacedLine({
      toHost: (bytes) => seen.push(...bytes),
      toDevice: () => {},
      usbLatencyMs: 16,
      clock,
    });
    line.setBaud(921600);
    // A: a short answer; its end is held 16 ms by the latency timer.
    line.send(bytesOf(3, 0xa));
    clock.fire(clock.pending()[0]!);
    const holdA = clock.pending();
    expect(holdA).toHaveLength(1);
    expect(seen).toEqual([]);
    // Past A's due time its timer has not run yet (late), and B, a long burst, starts.
    clock.time = holdA[0]!.at + 1;
    line.send(bytesOf(1000, 0xb));
    // B's first batch is not its burst's end: due at once. It must not overtake A.
    const firstOfB = clock.pending().find((t) => t !== holdA[0]);
    clock.fire(firstOfB!);
    expect(seen).toEqual([]);
    clock.settle();
    expect(seen.slice(0, 3)).toEqual([0xa, 0xa, 0xa]);
    expect(seen.slice(3)).toEqual(Array(1000).fill(0xb));
  });

  it('delivers every byte once, in order, over many bursts fired latest-timer-first', () => {
    const clock = new HandClock();
    const seen: number[] = [];
    const line = new PacedLine({
      toHost: (bytes) => seen.push(...bytes),
      toDevice: () => {},
      usbLatencyMs: 16,
      clock,
    });
    line.setBaud(921600);
    const sent: number[] = [];
    for (let burst = 0; burst < 20; burst += 1) {
      const bytes = bytesOf(1 + ((burst * 37) % 300), burst);
      sent.push(...bytes);
      line.send(bytes);
      // Fire whatever is due, the most recently set timer first (Node's worst case).
      clock.time += 3;
      for (const timer of clock.pending().reverse()) if (timer.at <= clock.time) clock.fire(timer);
    }
    clock.settle();
    expect(seen).toEqual(sent);
  });
});
