import { describe, expect, it } from 'vitest';
import { AttemptsQuery, decodeAttemptCursor, encodeAttemptCursor } from './attempts';

describe('attempt cursor', () => {
  const position = {
    startedAt: new Date('2026-11-20T06:00:00.123Z'),
    id: '019ac0de-0000-7000-8000-0000000000ab',
  };

  it('round-trips the position and is URL-safe', () => {
    const cursor = encodeAttemptCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeAttemptCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64url', '+++'],
    ['no separator', btoa('2026-11-20T06:00:00.000Z').replace(/=+$/, '')],
    ['a bad id', btoa('2026-11-20T06:00:00.000Z|nope').replace(/=+$/, '')],
    ['a bad time', btoa('yesterday|019ac0de-0000-7000-8000-0000000000ab').replace(/=+$/, '')],
  ])('refuses a cursor with %s', (_name, text) => {
    expect(decodeAttemptCursor(text)).toBeNull();
  });

  it('defaults the page to 50 and caps it at 500', () => {
    expect(AttemptsQuery.parse({}).limit).toBe(50);
    expect(AttemptsQuery.safeParse({ limit: '501' }).success).toBe(false);
  });
});
