'use client';

import { useEffect, useState, type RefObject } from 'react';
import { tileGrid, type TileGrid } from './tile-grid';

/** Before the box is measured: near-square, medium tiles. */
const unmeasured = (count: number): TileGrid => ({
  columns: Math.max(1, Math.ceil(Math.sqrt(count))),
  rows: Math.max(1, Math.ceil(count / Math.max(1, Math.ceil(Math.sqrt(count))))),
  density: 'medium',
});

/** The grid of `count` tiles for the box `ref` points at, kept up to date as the box resizes. */
export function useTileGrid(ref: RefObject<HTMLElement | null>, count: number): TileGrid {
  const [grid, setGrid] = useState<TileGrid>(() => unmeasured(count));
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () => {
      const { width, height } = box.getBoundingClientRect();
      const next = tileGrid(count, width, height);
      setGrid((was) =>
        was.columns === next.columns && was.rows === next.rows && was.density === next.density
          ? was
          : next,
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, [ref, count]);
  return grid;
}
