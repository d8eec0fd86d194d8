// Unit test of how the firmware page words digests and activation scopes; nothing is mocked.
import { describe, expect, it } from 'vitest';
import { describeActive, shortDigest } from './firmware-client';

describe('firmware words', () => {
  it('shortens a digest to its first 12 hex digits', () => {
    expect(shortDigest('0123456789abcdef'.repeat(4))).toBe('0123456789ab');
  });

  it('says where a package is active: the whole line first, then stations, or a dash', () => {
    const at = '2026-11-27T10:00:00.000Z';
    expect(describeActive([])).toBe('—');
    expect(
      describeActive([
        { stationId: null, activatedAt: at },
        { stationId: 'jig-2', activatedAt: at },
      ]),
    ).toBe('whole line, jig-2');
  });
});
