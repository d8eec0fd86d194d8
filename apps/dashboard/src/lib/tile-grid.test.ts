// Unit test of the slot grid: every slot count gets a shape that fills the box, tiles as large as
// the box allows, and the density the tile text is sized for.
import { describe, expect, it } from 'vitest';
import {
  densityFor,
  DENSITY_MIN_HEIGHT,
  TILE_GAP_PX,
  TILE_MIN_WIDTH_PX,
  tileGrid,
} from './tile-grid';

/** Roughly what the line view leaves for the tiles on a kiosk and on a tablet. */
const KIOSK = { width: 1860, height: 880 };
const TABLET = { width: 1220, height: 600 };

describe('tile grid', () => {
  it.each([8, 16, 32, 64])(
    'fits %i slots in the kiosk and the tablet box, every slot a cell',
    (count) => {
      for (const box of [KIOSK, TABLET]) {
        const grid = tileGrid(count, box.width, box.height);
        expect(grid.columns * grid.rows).toBeGreaterThanOrEqual(count);
        // No row or column wasted: one fewer would not hold them all.
        expect((grid.columns - 1) * grid.rows).toBeLessThan(count);
        expect(grid.columns * (grid.rows - 1)).toBeLessThan(count);
        const tileWidth = (box.width - TILE_GAP_PX * (grid.columns - 1)) / grid.columns;
        const tileHeight = (box.height - TILE_GAP_PX * (grid.rows - 1)) / grid.rows;
        // Wider than high, as a tile's lines and scan field want.
        expect(tileWidth).toBeGreaterThan(tileHeight);
        expect(grid.density).toBe(densityFor(tileWidth, tileHeight));
      }
    },
  );

  it('gives few slots large tiles and many slots small ones', () => {
    expect(tileGrid(8, KIOSK.width, KIOSK.height).density).toBe('large');
    expect(tileGrid(64, TABLET.width, TABLET.height).density).toBe('small');
    expect(tileGrid(64, TABLET.width, TABLET.height)).toMatchObject({ columns: 8, rows: 8 });
  });

  it('picks density from the room a tile has', () => {
    expect(densityFor(400, DENSITY_MIN_HEIGHT.large)).toBe('large');
    expect(densityFor(200, DENSITY_MIN_HEIGHT.large)).toBe('medium');
    expect(densityFor(400, DENSITY_MIN_HEIGHT.medium)).toBe('medium');
    expect(densityFor(400, DENSITY_MIN_HEIGHT.medium - 1)).toBe('small');
  });

  it('never makes tiles too narrow for their state word: more slots than fit scroll instead', () => {
    // 128 slots on an 800×480 jig panel (what the line view leaves of it).
    const grid = tileGrid(128, 770, 330);
    const tileWidth = (770 - TILE_GAP_PX * (grid.columns - 1)) / grid.columns;
    expect(tileWidth).toBeGreaterThanOrEqual(TILE_MIN_WIDTH_PX);
    expect((770 - TILE_GAP_PX * grid.columns) / (grid.columns + 1)).toBeLessThan(TILE_MIN_WIDTH_PX);
    expect(grid.columns * grid.rows).toBeGreaterThanOrEqual(128);
  });

  it('copes with no slot and a box not measured yet', () => {
    expect(tileGrid(0, 0, 0)).toMatchObject({ columns: 1, rows: 1, density: 'small' });
  });
});
