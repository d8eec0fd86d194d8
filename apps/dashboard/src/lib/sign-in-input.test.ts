// Unit test of what the sign-in forms send, and refuse to send; nothing is mocked.
import { describe, expect, it } from 'vitest';
import { parseBadgeScan, parsePasswordForm } from './sign-in-input';

describe('parseBadgeScan', () => {
  it("takes the scanner's digits without its surrounding spaces", () => {
    expect(parseBadgeScan(' 0001\r\n', 'station-1')).toEqual({
      ok: true,
      request: { badge: '0001', stationId: 'station-1' },
    });
  });

  it('refuses what is not a badge, before anything is sent', () => {
    expect(parseBadgeScan('', 'station-1')).toEqual({
      ok: false,
      message: 'Nothing scanned: scan your badge',
    });
    expect(parseBadgeScan('12a4', 'station-1')).toEqual({
      ok: false,
      message: 'Not a badge: "12a4" (a badge is 4 to 32 digits). Nothing was sent.',
    });
    expect(parseBadgeScan('123', 'station-1').ok).toBe(false);
    expect(parseBadgeScan('1'.repeat(33), 'station-1').ok).toBe(false);
  });

  it('names a kiosk address whose station is not a station id', () => {
    expect(parseBadgeScan('0001', 'no such/station')).toEqual({
      ok: false,
      message: '"no such/station" is not a station id: open this kiosk\'s own address',
    });
  });
});

describe('parsePasswordForm', () => {
  it('sends the user name trimmed and the password as typed', () => {
    expect(parsePasswordForm(' supervisor ', ' s3cret ')).toEqual({
      ok: true,
      request: { username: 'supervisor', password: ' s3cret ' },
    });
  });

  it('names the first missing field', () => {
    expect(parsePasswordForm('  ', '')).toEqual({ ok: false, message: 'Enter your user name' });
    expect(parsePasswordForm('admin', '')).toEqual({ ok: false, message: 'Enter your password' });
  });

  it('refuses a field longer than the server takes', () => {
    expect(parsePasswordForm('a'.repeat(101), 'x')).toEqual({
      ok: false,
      message: 'That user name is too long',
    });
    expect(parsePasswordForm('admin', 'x'.repeat(201))).toEqual({
      ok: false,
      message: 'That password is too long',
    });
  });
});
