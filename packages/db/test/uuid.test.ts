// The ids openForScan gives attempts: valid UUIDv7, increasing even within one millisecond.
import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7 } from '../src/repositories/uuid';

describe('uuidv7', () => {
  it('makes version-7, variant-1 UUIDs carrying the millisecond time', () => {
    const now = Date.UTC(2026, 10, 27, 9, 0, 0);
    const id = uuidv7(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
    expect(isUuid(id)).toBe(true);
  });

  it('increases strictly across 10 000 ids made in the same millisecond', () => {
    const now = Date.UTC(2030, 0, 1);
    const ids = Array.from({ length: 10_000 }, () => uuidv7(now));
    for (let i = 1; i < ids.length; i += 1) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('isUuid refuses what Postgres could not cast', () => {
    for (const text of ['', 'x', '00000000-0000-7000-8000-00000000000', `${uuidv7()}0`])
      expect(isUuid(text)).toBe(false);
  });
});
