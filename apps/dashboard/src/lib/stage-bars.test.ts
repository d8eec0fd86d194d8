// Unit test of the attempt page's stage-timing bars and of how attempts are worded; nothing is mocked.
import { describe, expect, it } from 'vitest';
import { errorText, formatDuration, formatTime, outcomeText } from './attempt-format';
import { stageBars } from './stage-bars';

describe('stageBars', () => {
  it('orders stages as a flash walks them, each as wide as its share of the longest', () => {
    expect(stageBars({ write: 8000, brom: 200, da_upload: 2000, custom_step: 400 })).toEqual([
      { stage: 'brom', ms: 200, width: 2.5 },
      { stage: 'da_upload', ms: 2000, width: 25 },
      { stage: 'write', ms: 8000, width: 100 },
      { stage: 'custom_step', ms: 400, width: 5 },
    ]);
  });

  it('is empty without timings, and zero-wide when every stage took 0 ms', () => {
    expect(stageBars(null)).toEqual([]);
    expect(stageBars({ brom: 0 })).toEqual([{ stage: 'brom', ms: 0, width: 0 }]);
  });
});

describe('attempt words', () => {
  it('says each outcome with a word and a symbol', () => {
    expect(outcomeText('failed')).toBe('FAIL ✕');
    expect(outcomeText('passed')).toBe('PASS ✓');
    expect(outcomeText('interrupted')).toBe('INTERRUPTED ■');
  });

  it('writes durations in ms, s or min', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_449)).toBe('12.4 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
  });

  it('writes a time in local time to the second', () => {
    const iso = new Date(2026, 10, 27, 14, 5, 9).toISOString();
    expect(formatTime(iso)).toBe('2026-11-27 14:05:09');
    expect(formatTime(null)).toBe('—');
  });

  it('names an error by code and name', () => {
    expect(errorText(2004, 'S_BROM_DOWNLOAD_DA_FAIL')).toBe('2004 S_BROM_DOWNLOAD_DA_FAIL');
    expect(errorText(null, null)).toBe('—');
  });
});
