import { describe, expect, it } from 'vitest';
import { currentShift } from './current-shift';
import { parseShifts } from './shifts';

const THREE = parseShifts('06:00-14:00,14:00-22:00,22:00-06:00');
const TWO = parseShifts('07:30-19:30,19:30-07:30');
if (typeof THREE === 'string' || typeof TWO === 'string') throw new Error('bad test shifts');

const shiftAt = (iso: string, zone: string, shifts = THREE) => {
  const shift = currentShift(new Date(iso), zone, shifts);
  return { key: shift.key, from: shift.from.toISOString(), to: shift.to.toISOString() };
};

describe('currentShift', () => {
  it('finds the day and evening shifts in UTC, the start inclusive', () => {
    expect(shiftAt('2026-11-27T10:15:00Z', 'UTC')).toEqual({
      key: '2026-11-27 06:00-14:00',
      from: '2026-11-27T06:00:00.000Z',
      to: '2026-11-27T14:00:00.000Z',
    });
    expect(shiftAt('2026-11-27T14:00:00Z', 'UTC').key).toBe('2026-11-27 14:00-22:00');
  });

  it('gives the night shift past midnight to the day it began on', () => {
    expect(shiftAt('2026-11-28T02:00:00Z', 'UTC')).toEqual({
      key: '2026-11-27 22:00-06:00',
      from: '2026-11-27T22:00:00.000Z',
      to: '2026-11-28T06:00:00.000Z',
    });
    expect(shiftAt('2026-11-27T23:59:00Z', 'UTC').key).toBe('2026-11-27 22:00-06:00');
  });

  it("follows the zone's clock: 05:30 UTC is 06:30 in Berlin in winter", () => {
    expect(shiftAt('2026-11-27T05:30:00Z', 'Europe/Berlin')).toEqual({
      key: '2026-11-27 06:00-14:00',
      from: '2026-11-27T05:00:00.000Z',
      to: '2026-11-27T13:00:00.000Z',
    });
  });

  it('spans a daylight-saving change: the night of 28–29 March 2026 in Berlin has 7 hours', () => {
    // Clocks go from 02:00 CET to 03:00 CEST: the shift starts at UTC+1, ends at UTC+2.
    expect(shiftAt('2026-03-29T01:30:00Z', 'Europe/Berlin')).toEqual({
      key: '2026-03-28 22:00-06:00',
      from: '2026-03-28T21:00:00.000Z',
      to: '2026-03-29T04:00:00.000Z',
    });
  });

  it('reads shifts that do not start on the hour, across the date line of a far zone', () => {
    expect(shiftAt('2026-11-27T20:00:00Z', 'Pacific/Auckland', TWO)).toEqual({
      // 09:00 on the 28th in Auckland (UTC+13 in summer).
      key: '2026-11-28 07:30-19:30',
      from: '2026-11-27T18:30:00.000Z',
      to: '2026-11-28T06:30:00.000Z',
    });
  });
});
