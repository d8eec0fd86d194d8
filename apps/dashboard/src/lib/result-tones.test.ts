// Unit test of the optional sound: which results sound, and the toggle's storage.
import { describe, expect, it } from 'vitest';
import { idleTile, type FlashTile } from './flash-tile';
import { heardByTile, tonesSince } from './result-tones';
import { readSoundPreference, SOUND_STORAGE_KEY, writeSoundPreference } from './sound-preference';

const heard = (
  attemptId: string,
  outcome: 'passed' | 'failed' | 'interrupted',
  retrying = false,
): FlashTile => ({
  ...idleTile,
  heard: { attemptId, outcome, retrying },
});

describe('result tones', () => {
  it('plays PASS and FAIL once each for results heard since the last look', () => {
    const before = heardByTile({ 'l/1': heard('a1', 'passed') });
    expect(tonesSince(before, { 'l/1': heard('a1', 'passed') })).toEqual([]);
    expect(
      tonesSince(before, {
        'l/1': heard('a2', 'failed'),
        'l/2': heard('b1', 'passed'),
        'l/3': heard('c1', 'passed'),
        'l/4': heard('d1', 'interrupted'),
      }),
    ).toEqual(['pass', 'fail']);
  });

  it('stays quiet for a failure the line retries and for tiles with nothing heard', () => {
    expect(tonesSince({}, { 'l/1': heard('a1', 'failed', true), 'l/2': idleTile })).toEqual([]);
  });
});

describe('sound preference', () => {
  const memory = () => {
    const items = new Map<string, string>();
    return {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      items,
    };
  };

  it('is off by default and keeps what the toggle wrote', () => {
    const store = memory();
    expect(readSoundPreference(store)).toBe(false);
    writeSoundPreference(store, true);
    expect(store.items.get(SOUND_STORAGE_KEY)).toBe('on');
    expect(readSoundPreference(store)).toBe(true);
    writeSoundPreference(store, false);
    expect(readSoundPreference(store)).toBe(false);
  });

  it('treats a storage the browser refuses as off, and does not throw', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(readSoundPreference(refusing)).toBe(false);
    expect(() => writeSoundPreference(refusing, true)).not.toThrow();
    expect(readSoundPreference(null)).toBe(false);
  });
});
