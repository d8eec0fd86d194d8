// The module's output reaches the host in the order it left the wire, whatever order the
// platform's timers fire in. Node gives no order between timers of different durations due at
// about the same time (one list per duration), and a timer may run late: a clock whose timers
// the test fires by hand shows both.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../util/clock';
import { ModuleClock } from '../util/module-clock';
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

describe('PacedLine timing (docs/emulator.md "Timing model")', () => {
  const perByte = 10_000 / 921600;

  function answerLine(clock: HandClock, usbLatencyMs: number, seen: { at: number; n: number }[]) {
    const line = new PacedLine({
      toHost: (bytes) => seen.push({ at: clock.time, n: bytes.length }),
      toDevice: () => {},
      usbLatencyMs,
      clock,
    });
    line.setBaud(921600);
    return line;
  }

  it("holds a burst's tail until the adapter's next latency tick, counted from its last packet", () => {
    const clock = new HandClock();
    const seen: { at: number; n: number }[] = [];
    const line = answerLine(clock, 16, seen);
    line.send(bytesOf(1, 0x69));
    clock.settle();
    expect(seen).toEqual([{ at: 16, n: 1 }]);
    // 40 ms on, the idle adapter has sent status packets at 32 and 48: the answer goes at 48,
    // not a whole latency period after it left the wire (56).
    clock.time = 40;
    line.send(bytesOf(1, 0x69));
    clock.settle();
    expect(seen[1]).toEqual({ at: 48, n: 1 });
  });

  it('sends a burst that fills its last USB packet without waiting for the latency timer', () => {
    const clock = new HandClock();
    const seen: { at: number; n: number }[] = [];
    const line = answerLine(clock, 16, seen);
    line.send(bytesOf(124, 1));
    clock.settle();
    expect(seen.reduce((n, s) => n + s.n, 0)).toBe(124);
    expect(seen.at(-1)!.at).toBeCloseTo(124 * perByte, 6);
  });

  /** A 921600 line with a 1 ms latency timer that records when host bytes reach the module. */
  const arrivalLine = (clock: HandClock, got: number[]): PacedLine => {
    const line = new PacedLine({
      toHost: () => {},
      toDevice: () => got.push(clock.time),
      usbLatencyMs: 1,
      clock,
    });
    line.setBaud(921600);
    return line;
  };

  it('a host write to an idle line reaches the adapter at the next USB frame start', () => {
    const clock = new HandClock();
    const got: number[] = [];
    const line = arrivalLine(clock, got);
    clock.time = 0.3;
    line.fromHost(bytesOf(100, 7));
    clock.settle();
    expect(got).toHaveLength(1);
    expect(got[0]).toBeCloseTo(1 + 100 * perByte, 6);
  });

  it('delivers what is due within half a millisecond when a timer fires early, without re-arming', () => {
    const clock = new HandClock();
    const got: number[] = [];
    const line = new PacedLine({ toHost: () => {}, toDevice: (b) => got.push(b.length), clock });
    line.setBaud(921600);
    line.fromHost(bytesOf(100, 7));
    const [timer] = clock.pending();
    // Node's timers run on an integer millisecond clock and may fire a fraction early.
    clock.time = timer!.at - 0.4;
    timer!.live = false;
    timer!.fn();
    expect(got).toEqual([100]);
    expect(clock.pending()).toEqual([]);
  });

  it('starts a host write at the time the relay read it, not when this process got it', () => {
    const clock = new HandClock();
    const got: number[] = [];
    const line = arrivalLine(clock, got);
    clock.time = 2.6;
    line.fromHost(bytesOf(100, 7), 1.3);
    clock.settle();
    // A stamp from the future (a clock mismatch) counts as now.
    clock.time = 5.2;
    line.fromHost(bytesOf(100, 7), 9);
    clock.settle();
    expect(got[0]).toBeCloseTo(2 + 100 * perByte, 6);
    expect(got[1]).toBeCloseTo(6 + 100 * perByte, 6);
  });

  it('hands a held tail to a host side that keeps time at once, with its tick as the due time', () => {
    const clock = new HandClock();
    const seen: { at: number; due?: number }[] = [];
    const line = new PacedLine({
      toHost: (_bytes, due) => seen.push({ at: clock.time, due }),
      hostKeepsTime: () => true,
      toDevice: () => {},
      usbLatencyMs: 16,
      clock,
    });
    line.setBaud(921600);
    line.send(bytesOf(1, 0x69));
    clock.settle();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.due).toBe(16);
    expect(seen[0]!.at).toBeLessThan(1);
  });

  it('hands a host side that keeps time the bytes at once with their arrival, and times the answer from it', () => {
    const clock = new HandClock();
    const dues: number[] = [];
    const arrivals: number[] = [];
    const line: PacedLine = new PacedLine({
      toHost: (_bytes, due) => dues.push(due!),
      hostKeepsTime: () => true,
      lookAhead: () => true,
      // The module answers at once, at its own time: when the bytes arrived.
      toDevice: (_bytes, at) => {
        arrivals.push(at);
        line.send(bytesOf(1, 0x69), at);
      },
      clock,
    });
    line.setBaud(921600);
    line.fromHost(bytesOf(200, 7));
    // No timer of this process between the host's bytes and the answer.
    expect(clock.pending()).toHaveLength(0);
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]).toBeCloseTo(200 * perByte, 6);
    expect(dues).toHaveLength(1);
    expect(dues[0]).toBeCloseTo(201 * perByte, 6);
  });

  it('still hands the bytes on a timer, with their arrival, to a host side that does not keep time', () => {
    for (const firedAt of [3.5, 1.8]) {
      const clock = new HandClock();
      const arrivals: { at: number; handedAt: number }[] = [];
      const line = new PacedLine({
        toHost: () => undefined,
        toDevice: (_bytes, at) => arrivals.push({ at, handedAt: clock.time }),
        clock,
      });
      line.setBaud(921600);
      line.fromHost(bytesOf(200, 7));
      const [timer] = clock.pending();
      expect(timer!.at).toBeCloseTo(200 * perByte, 6);
      clock.time = firedAt; // late, or early within the clock's tolerance
      timer!.live = false;
      timer!.fn();
      expect(arrivals).toHaveLength(1);
      expect(arrivals[0]!.handedAt).toBe(firedAt);
      expect(arrivals[0]!.at).toBeCloseTo(200 * perByte, 6);
    }
  });

  it("times an answer that waited on the module's own timer (flash programming) from the arrival", () => {
    for (const lateMs of [0, 1.5]) {
      const clock = new HandClock();
      const moduleClock = new ModuleClock(clock);
      const dues: number[] = [];
      const line: PacedLine = new PacedLine({
        toHost: (_bytes, due) => dues.push(due!),
        hostKeepsTime: () => true,
        lookAhead: () => true,
        // The module programs for 2 ms (its own timer), then answers.
        toDevice: (_bytes, at) => {
          moduleClock.enter(at);
          moduleClock.setTimer(() => line.send(bytesOf(1, 0x69), moduleClock.now()), 2);
        },
        clock,
      });
      line.setBaud(921600);
      line.fromHost(bytesOf(200, 7));
      const [timer] = clock.pending();
      expect(timer!.at).toBeCloseTo(200 * perByte + 2, 6);
      clock.time = timer!.at + lateMs; // this process wakes on time, or 1.5 ms late
      timer!.live = false;
      timer!.fn();
      expect(dues).toHaveLength(1);
      expect(dues[0]).toBeCloseTo(200 * perByte + 2 + perByte, 6);
    }
  });

  it('hands a short answer to a host that keeps time as it is sent, due when the model says', () => {
    for (const keepsTime of [true, false]) {
      const clock = new HandClock();
      clock.time = 5;
      const seen: { at: number; due?: number; length: number }[] = [];
      const line = new PacedLine({
        toHost: (bytes, due) => seen.push({ at: clock.time, due, length: bytes.length }),
        hostKeepsTime: () => keepsTime,
        toDevice: () => {},
        clock,
      });
      line.setBaud(921600);
      line.send(bytesOf(1, 0x69));
      if (keepsTime) {
        // No timer and no wait: the relay holds it until its due time.
        expect(clock.pending()).toHaveLength(0);
        expect(seen).toEqual([{ at: 5, due: 5 + perByte, length: 1 }]);
      } else {
        expect(seen).toHaveLength(0);
        clock.settle();
        expect(seen).toHaveLength(1);
        expect(seen[0]!.at).toBeGreaterThanOrEqual(5 + perByte);
      }
    }
  });

  it('hands a long burst to a host that keeps time at once, a batch per quantum due as it leaves the wire', () => {
    const clock = new HandClock();
    const dues: number[] = [];
    const sizes: number[] = [];
    const line = new PacedLine({
      toHost: (bytes, due) => {
        dues.push(due!);
        sizes.push(bytes.length);
      },
      hostKeepsTime: () => true,
      toDevice: () => {},
      clock,
    });
    line.setBaud(921600);
    line.send(bytesOf(600, 1)); // 6.5 ms on the wire: batches per 2 ms quantum
    expect(clock.pending()).toHaveLength(0);
    const perBatch = Math.floor(2 / perByte);
    expect(sizes).toEqual([perBatch, perBatch, perBatch, 600 - 3 * perBatch]);
    expect(dues[0]).toBeCloseTo(perBatch * perByte, 6);
    expect(dues.at(-1)).toBeCloseTo(600 * perByte, 6);
  });
});
