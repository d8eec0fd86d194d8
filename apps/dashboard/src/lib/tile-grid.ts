/**
 * How a station's slot tiles fill the room they have: every tile on screen at once, as large as
 * the slot count and the box allow. Pure; the line view measures the box and passes it in.
 */

/** How much a tile can show; slot-tile.module.css sizes its text and rows per density. */
export type TileDensity = 'large' | 'medium' | 'small';

export interface TileGrid {
  columns: number;
  rows: number;
  density: TileDensity;
}

/** Gap between tiles, px (the CSS grid's `gap` uses the same). */
export const TILE_GAP_PX = 8;

/** A tile reads best about twice as wide as it is high (a line of text, a scan field). */
const PREFERRED_ASPECT = 2;

/**
 * Smallest tile height each density needs for its rows (slot-tile.module.css holds the same
 * numbers as its row heights): below `medium`'s, a tile shows one line of detail.
 */
export const DENSITY_MIN_HEIGHT: Readonly<Record<Exclude<TileDensity, 'small'>, number>> = {
  large: 250,
  medium: 150,
};
/** …and width: the large tile's verdict panel and facts need room across too. */
const LARGE_MIN_WIDTH = 300;

/**
 * Narrowest tile whose state word (FAIL, PASS, FLASHING …) is read whole beside the slot number.
 * Narrower tiles would cut it; with more slots than fit at this width, the grid scrolls instead
 * (its rows never go below station-card's --tile-min-height either).
 */
export const TILE_MIN_WIDTH_PX = 128;

export function densityFor(tileWidth: number, tileHeight: number): TileDensity {
  if (tileHeight >= DENSITY_MIN_HEIGHT.large && tileWidth >= LARGE_MIN_WIDTH) return 'large';
  if (tileHeight >= DENSITY_MIN_HEIGHT.medium) return 'medium';
  return 'small';
}

/**
 * Columns and rows for `count` tiles in a `width` × `height` px box: the shape whose tiles come
 * closest to the preferred aspect while as large as possible (the smaller of height and
 * width / aspect is what a tile can show), fewer empty cells on a tie.
 */
export function tileGrid(count: number, width: number, height: number): TileGrid {
  const tiles = Math.max(1, count);
  let best = { columns: 1, rows: tiles, fit: -Infinity, empty: 0, tileWidth: 0, tileHeight: 0 };
  for (let columns = 1; columns <= tiles; columns += 1) {
    const rows = Math.ceil(tiles / columns);
    const tileWidth = (width - TILE_GAP_PX * (columns - 1)) / columns;
    if (columns > 1 && tileWidth < TILE_MIN_WIDTH_PX) break; // only narrower from here on
    const tileHeight = (height - TILE_GAP_PX * (rows - 1)) / rows;
    const fit = Math.min(tileWidth / PREFERRED_ASPECT, tileHeight);
    const empty = columns * rows - tiles;
    if (fit > best.fit + 0.5 || (Math.abs(fit - best.fit) <= 0.5 && empty < best.empty)) {
      best = { columns, rows, fit, empty, tileWidth, tileHeight };
    }
  }
  const { columns, rows, tileWidth, tileHeight } = best;
  return { columns, rows, density: densityFor(tileWidth, tileHeight) };
}
