// Unit test of how the admin lists word keys' states and expiry days; nothing is mocked.
import type { ApiKeySummary } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { endOfDay, keyState, when } from './admin-format';

const key = (over: Partial<ApiKeySummary>): ApiKeySummary => ({
  id: 'k',
  name: 'script',
  prefix: 'fsk_abcdefgh',
  role: 'supervisor',
  stationId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
  ...over,
});

describe('keyState', () => {
  const now = Date.parse('2026-06-01T00:00:00Z');
  it('says revoked before expired, and active otherwise', () => {
    expect(keyState(key({}), now)).toBe('Active');
    expect(keyState(key({ expiresAt: '2026-07-01T00:00:00Z' }), now)).toBe('Active');
    expect(keyState(key({ expiresAt: '2026-05-01T00:00:00Z' }), now)).toBe('Expired');
    expect(
      keyState(key({ expiresAt: '2026-05-01T00:00:00Z', revokedAt: '2026-04-01T00:00:00Z' }), now),
    ).toBe('Revoked');
  });
});

describe('endOfDay and when', () => {
  it('ends the picked day in this time zone, and writes no time as a dash', () => {
    const end = new Date(endOfDay('2026-03-14'));
    expect([end.getFullYear(), end.getMonth(), end.getDate()]).toEqual([2026, 2, 14]);
    expect([end.getHours(), end.getMinutes(), end.getMilliseconds()]).toEqual([23, 59, 999]);
    expect(when(null)).toBe('—');
  });
});
