// Unit test of the slot heat map's colour scale and grid; nothing is mocked.
import type { YieldRow } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { heatColour, heatMapOf, NO_UNITS_COLOUR } from './heat-scale';

const hueOf = (colour: string) => Number(/^hsl\((\d+),/.exec(colour)?.[1]);

const slotRow = (key: string, units: number, firstPassYield: number | null): YieldRow => ({
  key,
  units,
  firstPassYield,
  finalYield: firstPassYield,
  retestRate: 0,
  unitsPerHour: 0,
  attempts: units,
  interrupted: 0,
});

describe('heat scale', () => {
  it('runs from red at 50 % and below through amber at 90 % to green at 100 %', () => {
    expect(hueOf(heatColour(0))).toBe(0);
    expect(hueOf(heatColour(0.5))).toBe(0);
    expect(hueOf(heatColour(0.7))).toBe(20);
    expect(hueOf(heatColour(0.9))).toBe(40);
    expect(hueOf(heatColour(0.95))).toBe(85);
    expect(hueOf(heatColour(1))).toBe(130);
  });

  it('rises with the yield everywhere on the scale', () => {
    const hues = [0.5, 0.6, 0.8, 0.9, 0.93, 0.97, 1].map((y) => hueOf(heatColour(y)));
    expect(hues).toEqual([...hues].sort((a, b) => a - b));
    expect(new Set(hues).size).toBe(hues.length);
  });

  it('greys a slot without units', () => {
    expect(heatColour(null)).toBe(NO_UNITS_COLOUR);
  });
});

describe('heat map grid', () => {
  it("lays each station's live slots out in order with their figures, slots without any empty", () => {
    const grid = heatMapOf(
      [
        { stationId: 'j2', slots: [1] },
        { stationId: 'j1', slots: [2, 1, 3] },
      ],
      [slotRow('j1/2', 2, 0.5), slotRow('j1/1', 4, 1)],
    );
    expect(grid).toEqual([
      {
        stationId: 'j1',
        cells: [
          { slot: 1, units: 4, firstPassYield: 1 },
          { slot: 2, units: 2, firstPassYield: 0.5 },
          { slot: 3, units: 0, firstPassYield: null },
        ],
      },
      { stationId: 'j2', cells: [{ slot: 1, units: 0, firstPassYield: null }] },
    ]);
  });

  it('keeps the figures of a station that is not connected now', () => {
    expect(heatMapOf([], [slotRow('gone-1/4', 1, 0)])).toEqual([
      { stationId: 'gone-1', cells: [{ slot: 4, units: 1, firstPassYield: 0 }] },
    ]);
  });
});
