import type { FlashTile } from './flash-tile';

/**
 * Which tones the line view plays for results heard live (optional sound, off by default): one
 * for PASS, one for a FAIL or an interrupted flash, nothing for a failure the line retries (its
 * retry's result will sound). Pure; use-result-sound.ts plays them.
 */
export type Tone = 'pass' | 'fail';

/** Tiles' heard results by slot key, as last seen: a new one is a new result. */
export type HeardByTile = Readonly<Record<string, string>>;

export function heardByTile(tiles: Readonly<Record<string, FlashTile>>): HeardByTile {
  const heard: Record<string, string> = {};
  for (const [key, tile] of Object.entries(tiles)) {
    if (tile.heard) heard[key] = tile.heard.attemptId;
  }
  return heard;
}

/** The tones for results heard since `before` (each at most once, PASS first). */
export function tonesSince(
  before: HeardByTile,
  tiles: Readonly<Record<string, FlashTile>>,
): Tone[] {
  const tones = new Set<Tone>();
  for (const [key, tile] of Object.entries(tiles)) {
    const heard = tile.heard;
    if (!heard || heard.retrying || before[key] === heard.attemptId) continue;
    tones.add(heard.outcome === 'passed' ? 'pass' : 'fail');
  }
  return (['pass', 'fail'] as const).filter((tone) => tones.has(tone));
}

/** A tone as notes: frequency (Hz), length (s) and waveform. */
export interface ToneNote {
  frequency: number;
  seconds: number;
  wave: OscillatorType;
}

/** Bright and rising for PASS; low and rough for FAIL, so the two differ without looking. */
export const TONE_NOTES: Readonly<Record<Tone, readonly ToneNote[]>> = {
  pass: [
    { frequency: 880, seconds: 0.12, wave: 'sine' },
    { frequency: 1320, seconds: 0.18, wave: 'sine' },
  ],
  fail: [
    { frequency: 220, seconds: 0.25, wave: 'square' },
    { frequency: 165, seconds: 0.35, wave: 'square' },
  ],
};
