// Unit test of the yield page's window maths; nothing is mocked.
import { describe, expect, it } from 'vitest';
import { elapsedHours, shiftHours, shiftOver } from './shift-window';

const DAY = { from: '2026-11-27T06:00:00.000Z', to: '2026-11-27T14:00:00.000Z' };

describe('shift window', () => {
  it('counts the hours gone by, at least a minute, at most the shift', () => {
    expect(elapsedHours(DAY, Date.parse('2026-11-27T09:30:00Z'))).toBe(3.5);
    expect(elapsedHours(DAY, Date.parse('2026-11-27T06:00:00Z'))).toBe(1 / 60);
    expect(elapsedHours(DAY, Date.parse('2026-11-27T15:00:00Z'))).toBe(8);
  });

  it('is over at its end, not before', () => {
    expect(shiftOver(DAY, Date.parse('2026-11-27T13:59:59Z'))).toBe(false);
    expect(shiftOver(DAY, Date.parse('2026-11-27T14:00:00Z'))).toBe(true);
  });

  it("lists the shift's hours on the line's clock, keyed as the server keys them", () => {
    expect(shiftHours(DAY, 'UTC')).toEqual([
      '2026-11-27T06:00',
      '2026-11-27T07:00',
      '2026-11-27T08:00',
      '2026-11-27T09:00',
      '2026-11-27T10:00',
      '2026-11-27T11:00',
      '2026-11-27T12:00',
      '2026-11-27T13:00',
    ]);
    // Kolkata is UTC+05:30: the night shift 22:00–06:00 there, past midnight into the 28th.
    const night = { from: '2026-11-27T16:30:00.000Z', to: '2026-11-28T00:30:00.000Z' };
    const hours = shiftHours(night, 'Asia/Kolkata');
    expect(hours).toHaveLength(8);
    expect([hours[0], hours[2], hours[7]]).toEqual([
      '2026-11-27T22:00',
      '2026-11-28T00:00',
      '2026-11-28T05:00',
    ]);
  });

  it('lists a half-hour shift start under its hour, and a repeated daylight-saving hour once', () => {
    expect(
      shiftHours({ from: '2026-11-27T07:30:00.000Z', to: '2026-11-27T09:30:00.000Z' }, 'UTC'),
    ).toEqual(['2026-11-27T07:00', '2026-11-27T08:00', '2026-11-27T09:00']);
    // 25 October 2026 in Berlin: 02:00–03:00 comes twice; the 22:00–06:00 shift lasts 9 hours
    // and shows 8, its 02:00 once.
    const autumn = { from: '2026-10-24T20:00:00.000Z', to: '2026-10-25T05:00:00.000Z' };
    const hours = shiftHours(autumn, 'Europe/Berlin');
    expect(hours).toHaveLength(8);
    expect(hours.filter((h) => h === '2026-10-25T02:00')).toHaveLength(1);
  });
});
