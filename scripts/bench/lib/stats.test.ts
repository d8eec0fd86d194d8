import { describe, expect, it } from 'vitest';
import {
  formatSpread,
  lineMs,
  modulesPerHour,
  percentile,
  pureLineMs,
  REAL_SIZE_PACKAGE,
  spread,
  stageMedians,
  steadyModulesPerHour,
} from './stats';

describe('benchmark arithmetic', () => {
  it('line time is 10 bits a byte at the baud, the DA always at 115200', () => {
    expect(lineMs(11520, 115200)).toBe(1000);
    // 121 KiB DA + the 4.9 MB real-size package at 921600: 10.76 s + 53.67 s.
    const images = REAL_SIZE_PACKAGE.romBytes + REAL_SIZE_PACKAGE.vivaBytes;
    expect(images).toBe(4_945_852);
    expect(pureLineMs(121 * 1024, images, 921600)).toBeCloseTo(10755.6 + 53665.9, 0);
    expect(pureLineMs(0, 92160, 921600)).toBe(1000);
  });

  it('summarises runs as min / median / max', () => {
    expect(spread([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(spread([4, 1, 2, 3])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(formatSpread({ min: 1, median: 1.5, max: 2 }, 2)).toBe('1.00 / 1.50 / 2.00');
    expect(() => spread([])).toThrow(/no values/);
  });

  it('rates and percentiles', () => {
    expect(modulesPerHour(10, 60_000)).toBe(600);
    expect(() => modulesPerHour(1, 0)).toThrow(/positive/);
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
  });

  it('counts modules an hour only while every slot was loaded', () => {
    // Two slots, modules of 60 s, slot 2 loaded 30 s after slot 1; each refilled at once.
    const slot = (start: number, modules: number) =>
      Array.from({ length: modules }, (_, i) => ({
        scannedAt: start + i * 60_000,
        resultAt: start + (i + 1) * 60_000,
      }));
    // Window: slot 2's first scan (30 s) → slot 1's last result (180 s), 150 s; inside it results
    // at 60, 90, 120, 150 and 180 s: 5 in 150 s = 120 an hour, two slots' 60 s modules exactly.
    expect(steadyModulesPerHour([slot(0, 3), slot(30_000, 3)])).toBe(120);
    // One module a slot, or no common window: no steady state to speak of.
    expect(steadyModulesPerHour([slot(0, 1), slot(30_000, 3)])).toBeUndefined();
    expect(steadyModulesPerHour([slot(0, 2), slot(200_000, 2)])).toBeUndefined();
  });

  it('names each stage median in the flash order, short stages left out', () => {
    const stageMs = new Map([
      ['write', [54_000, 58_000, 56_000]],
      ['brom', [180, 320]],
      ['finish', [20, 30, 40]],
      ['unknown', [9_999]],
    ]);
    expect(stageMedians(stageMs, ['brom', 'baud', 'write', 'finish'])).toBe('brom=180 write=56000');
    expect(stageMedians(new Map(), ['brom'])).toBe('');
  });
});
