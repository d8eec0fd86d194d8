// Unit test of what the yield page's charts plot; nothing is mocked.
import type { ParetoRow, YieldRow } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { hourChartData, paretoChartData, PARETO_BARS } from './chart-data';

const hourRow = (key: string, units: number, fpy: number, final: number): YieldRow => ({
  key,
  units,
  firstPassYield: fpy,
  finalYield: final,
  retestRate: 0,
  unitsPerHour: units,
  attempts: units,
  interrupted: 0,
});

const cause = (
  key: string,
  label: string,
  count: number,
  share: number,
  cum: number,
): ParetoRow => ({
  key,
  label,
  count,
  share,
  cumulativeShare: cum,
});

describe('hour chart', () => {
  it('plots every hour of the shift, hours without units empty, yields in percent', () => {
    expect(
      hourChartData(
        ['2026-11-27T06:00', '2026-11-27T07:00', '2026-11-27T08:00'],
        [hourRow('2026-11-27T07:00', 3, 2 / 3, 1)],
      ),
    ).toEqual([
      { hour: '06:00', key: '2026-11-27T06:00', units: 0, firstPass: null, final: null },
      { hour: '07:00', key: '2026-11-27T07:00', units: 3, firstPass: 66.7, final: 100 },
      { hour: '08:00', key: '2026-11-27T08:00', units: 0, firstPass: null, final: null },
    ]);
  });
});

describe('Pareto chart', () => {
  it('keeps the ranking, shares in percent, the label with its code', () => {
    expect(
      paretoChartData([
        cause('2004', 'S_BROM_DOWNLOAD_DA_FAIL', 3, 0.75, 0.75),
        cause('none', 'none', 1, 0.25, 1),
      ]),
    ).toEqual([
      {
        key: '2004',
        name: 'S_BROM_DOWNLOAD_D…',
        label: '2004 S_BROM_DOWNLOAD_DA_FAIL',
        count: 3,
        share: 75,
        cumulative: 75,
      },
      { key: 'none', name: 'none', label: 'none', count: 1, share: 25, cumulative: 100 },
    ]);
  });

  it(`folds the causes past the ${PARETO_BARS - 1} biggest into one "other" bar ending at 100 %`, () => {
    const rows = Array.from({ length: 10 }, (_, i) =>
      cause(`e${i}`, `E${i}`, 10 - i, (10 - i) / 55, 0),
    );
    const points = paretoChartData(rows);
    expect(points).toHaveLength(PARETO_BARS);
    expect(points.at(-1)).toMatchObject({
      key: 'other',
      name: 'other (3)',
      label: 'other (3): E7, E8, E9',
      count: 3 + 2 + 1,
      share: 10.9,
      cumulative: 100,
    });
  });
});
