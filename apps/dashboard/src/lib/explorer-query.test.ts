// Unit test of /explorer's URL (filters, page size, cursor ↔ query), the API paths built from it
// and the trail behind "Newer"; nothing is mocked.
import { describe, expect, it } from 'vitest';
import {
  attemptsCsvPath,
  attemptsPath,
  DEFAULT_PAGE_SIZE,
  explorerSearch,
  followTrail,
  newerCursor,
  readExplorerQuery,
} from './explorer-query';

describe('the explorer URL', () => {
  it('reads filters, page size and cursor, and writes them back in one order', () => {
    const search =
      '?outcome=failed&station=jig-2&from=2026-11-27T06%3A00%3A00.000Z&limit=25&cursor=abc_-1';
    const query = readExplorerQuery(new URLSearchParams(search));
    expect(query).toEqual({
      filter: { from: '2026-11-27T06:00:00.000Z', station: 'jig-2', outcome: 'failed' },
      limit: 25,
      cursor: 'abc_-1',
    });
    expect(explorerSearch(query)).toBe(
      '?from=2026-11-27T06%3A00%3A00.000Z&station=jig-2&outcome=failed&limit=25&cursor=abc_-1',
    );
  });

  it('keeps bad filter text for the check to name, and uses the default size for an odd limit', () => {
    for (const limit of ['0', '501', 'ten', '']) {
      const query = readExplorerQuery(new URLSearchParams({ slot: 'x', limit }));
      expect(query).toEqual({ filter: { slot: 'x' }, limit: DEFAULT_PAGE_SIZE, cursor: null });
    }
  });

  it('is empty for the newest page of everything, the default size left out', () => {
    expect(explorerSearch({ filter: { slot: ' ' }, limit: DEFAULT_PAGE_SIZE, cursor: null })).toBe(
      '',
    );
  });
});

describe('API paths', () => {
  it('asks for a page with the filters, the limit and the cursor', () => {
    expect(attemptsPath({ slot: 2, outcome: 'failed' }, 25, 'c1')).toBe(
      '/api/attempts?slot=2&outcome=failed&limit=25&cursor=c1',
    );
    expect(attemptsPath({}, 50, null)).toBe('/api/attempts?limit=50');
  });

  it('downloads the CSV with exactly the filters: no limit, no cursor', () => {
    expect(attemptsCsvPath({ imei: '861359031000019', errorCode: 2004 })).toBe(
      '/api/attempts.csv?imei=861359031000019&errorCode=2004',
    );
    expect(attemptsCsvPath({})).toBe('/api/attempts.csv');
  });
});

describe('the trail behind Newer', () => {
  it('grows with Older and shrinks with Newer or the back button', () => {
    let trail = followTrail([], null);
    expect(newerCursor(trail)).toBeUndefined();
    trail = followTrail(trail, 'p2');
    trail = followTrail(trail, 'p3');
    expect(trail).toEqual([null, 'p2', 'p3']);
    expect(newerCursor(trail)).toBe('p2');
    trail = followTrail(trail, 'p2');
    expect(trail).toEqual([null, 'p2']);
    expect(newerCursor(trail)).toBeNull();
  });

  it('starts at the page a shared link opens, so only "Newest" goes up from there', () => {
    const trail = followTrail([], 'p7');
    expect(trail).toEqual(['p7']);
    expect(newerCursor(trail)).toBeUndefined();
    expect(followTrail(trail, null)).toEqual([null]);
  });
});
