// Pure checks of what a user change writes, records and ends; nothing mocked.
import type { User } from '@station/db';
import { describe, expect, it } from 'vitest';
import { changesNothing, planUserChange, type UserChangeInput } from './user-change';

const now = new Date('2026-11-27T12:00:00Z');
const user = (over: Partial<User> = {}): User => ({
  id: 'u1',
  username: 'ada',
  email: null,
  displayName: 'Ada',
  role: 'admin',
  passwordHash: 'scrypt$…',
  badgeLookup: null,
  disabledAt: null,
  createdAt: now,
  updatedAt: now,
  ...over,
});
const plan = (over: Partial<UserChangeInput>) =>
  planUserChange({ before: user(), change: {}, self: false, otherAdmins: 1, now, ...over });
const refusal = (over: Partial<UserChangeInput>) => {
  try {
    plan(over);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return null;
};

describe('planUserChange', () => {
  it('keeps the line an admin: no self-lockout, never the last admin', () => {
    expect(refusal({ self: true, change: { disabled: true } })).toBe('SELF_LOCKOUT');
    expect(refusal({ self: true, change: { role: 'engineer' } })).toBe('SELF_LOCKOUT');
    expect(refusal({ otherAdmins: 0, change: { role: 'engineer' } })).toBe('LAST_ADMIN');
    expect(refusal({ otherAdmins: 1, change: { role: 'engineer' } })).toBe(null);
    // Not an admin change at all: no guard.
    expect(refusal({ self: true, change: { displayName: 'Ada L.' } })).toBe(null);
    expect(
      refusal({ before: user({ role: 'engineer' }), otherAdmins: 0, change: { disabled: true } }),
    ).toBe(null);
  });

  it('refuses to leave someone no way to sign in', () => {
    const badgeOnly = user({ role: 'operator', passwordHash: null, badgeLookup: 'a'.repeat(64) });
    expect(refusal({ before: badgeOnly, change: { badge: null }, badgeLookup: null })).toBe(
      'NO_SIGN_IN_LEFT',
    );
    expect(
      refusal({ before: badgeOnly, change: { badge: null }, badgeLookup: null, passwordHash: 'h' }),
    ).toBe(null);
  });

  it('writes and records only what changes; secrets only as changed', () => {
    const renamed = plan({ change: { displayName: 'Ada', role: 'admin' } });
    expect(changesNothing(renamed)).toBe(true);
    const changed = plan({
      change: { role: 'supervisor', password: 'x', badge: '1234' },
      passwordHash: 'new-hash',
      badgeLookup: 'b'.repeat(64),
    });
    expect(changed.data).toEqual({
      role: 'supervisor',
      passwordHash: 'new-hash',
      badgeLookup: 'b'.repeat(64),
    });
    expect([changed.before, changed.after]).toEqual([{ role: 'admin' }, { role: 'supervisor' }]);
    expect(changed.secrets).toEqual({
      password: { changed: true },
      badge: { changed: true, enrolled: true },
    });
    expect(JSON.stringify(changed.secrets)).not.toContain('new-hash');
  });

  it('ends sessions on disable, a new role, password or badge, not on a new name or enabling', () => {
    expect(plan({ change: { displayName: 'Ada L.' } }).endsSessions).toBe(false);
    expect(plan({ change: { disabled: true } }).endsSessions).toBe(true);
    expect(plan({ change: { role: 'engineer' } }).endsSessions).toBe(true);
    expect(plan({ change: { password: 'x' }, passwordHash: 'h' }).endsSessions).toBe(true);
    expect(plan({ change: { badge: '1234' }, badgeLookup: 'c'.repeat(64) }).endsSessions).toBe(
      true,
    );
    const enabled = plan({ before: user({ disabledAt: now }), change: { disabled: false } });
    expect(enabled.data).toEqual({ disabledAt: null });
    expect(enabled.endsSessions).toBe(false);
  });
});
