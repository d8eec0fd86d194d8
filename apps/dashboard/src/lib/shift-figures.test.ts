// Unit test of how the yield page words the shift's figures; nothing is mocked.
import type { YieldRow } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { paceTone, percent, shiftFigureViews } from './shift-figures';

const row = (over: Partial<YieldRow> = {}): YieldRow => ({
  key: '2026-11-27 06:00-14:00',
  units: 3,
  firstPassYield: 1 / 3,
  finalYield: 2 / 3,
  retestRate: 1,
  unitsPerHour: 0.25,
  attempts: 6,
  interrupted: 1,
  ...over,
});

describe('shift figures', () => {
  it('writes ratios as percent with at most one decimal, none as a dash', () => {
    expect(percent(0.5)).toBe('50 %');
    expect(percent(2 / 3)).toBe('66.7 %');
    expect(percent(1)).toBe('100 %');
    expect(percent(null)).toBe('—');
  });

  it('rates the pace against the target: at it ok, within a fifth below warn, else bad', () => {
    expect(paceTone(60, 60)).toBe('ok');
    expect(paceTone(48, 60)).toBe('warn');
    expect(paceTone(47.9, 60)).toBe('bad');
  });

  it('shows units, yields, retest rate, and units passed per hour gone by against the target', () => {
    const views = shiftFigureViews(row(), 2, 60);
    expect(views.map((v) => [v.id, v.value, v.detail, v.tone])).toEqual([
      ['units', '3', '6 attempts · 1 interrupted', 'neutral'],
      ['first-pass', '33.3 %', 'passed at their first attempt', 'neutral'],
      ['final', '66.7 %', '2 of 3 passed', 'neutral'],
      ['retest', '100 %', 'extra attempts per unit', 'neutral'],
      // 2 units passed in 2 hours: 1 per hour, far below 60.
      ['per-hour', '1.0', 'target 60 · behind', 'bad'],
    ]);
  });

  it('shows a shift with nothing finished yet as zero units and dashes', () => {
    const views = shiftFigureViews(null, 0.5, 60);
    expect(views.map((v) => v.value)).toEqual(['0', '—', '—', '—', '0.0']);
  });
});
