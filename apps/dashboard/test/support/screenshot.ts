import { readFile } from 'node:fs/promises';
import { colourHistogram, decodePng } from './png';

export interface ScreenshotFacts {
  width: number;
  height: number;
  distinctColours: number;
  /** Share of the most common colour: 1 means a flat, blank image. */
  dominantShare: number;
  count(hex: string): number;
}

/** Decodes a screenshot file and summarises what is needed to tell a rendered page from a blank one. */
export async function inspectScreenshot(path: string): Promise<ScreenshotFacts> {
  const png = decodePng(await readFile(path));
  const histogram = colourHistogram(png);
  const total = png.width * png.height;
  return {
    width: png.width,
    height: png.height,
    distinctColours: histogram.size,
    dominantShare: Math.max(...histogram.values()) / total,
    count: (hex) => histogram.get(hex.toLowerCase()) ?? 0,
  };
}
