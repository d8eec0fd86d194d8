'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { FlashTile } from './flash-tile';
import { heardByTile, TONE_NOTES, tonesSince, type HeardByTile, type Tone } from './result-tones';
import { readSoundPreference, writeSoundPreference } from './sound-preference';

export interface ResultSound {
  on: boolean;
  toggle(): void;
  /** The last tone started, and how many so far: what the page shows on `data-` attributes. */
  lastTone: Tone | null;
  played: number;
}

const storage = (): Storage | null => (typeof window === 'undefined' ? null : window.localStorage);

/** Plays `tone` with Web Audio (no audio files): short notes one after another. */
function play(context: AudioContext, tone: Tone): void {
  let at = context.currentTime;
  for (const note of TONE_NOTES[tone]) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = note.wave;
    oscillator.frequency.value = note.frequency;
    // A short fade in and out: no click at either end.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.25, at + 0.01);
    gain.gain.linearRampToValueAtTime(0, at + note.seconds);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + note.seconds);
    at += note.seconds + 0.03;
  }
}

/**
 * The line view's optional sound on PASS and FAIL: off by default, the toggle kept in this
 * browser's localStorage. Only results heard live sound, never the state a page opens with.
 */
export function useResultSound(tiles: Readonly<Record<string, FlashTile>>): ResultSound {
  const [on, setOn] = useState(false);
  const [record, setRecord] = useState<{ lastTone: Tone | null; played: number }>({
    lastTone: null,
    played: 0,
  });
  const heard = useRef<HeardByTile>(heardByTile(tiles));
  const audio = useRef<AudioContext | null>(null);

  // After mount: the server-rendered page cannot know this browser's setting.
  useEffect(() => setOn(readSoundPreference(storage())), []);

  const context = useCallback((): AudioContext | null => {
    if (audio.current === null && typeof AudioContext !== 'undefined') {
      audio.current = new AudioContext();
    }
    return audio.current;
  }, []);

  const toggle = useCallback(() => {
    writeSoundPreference(storage(), !on);
    setOn(!on);
    // A click is the user gesture browsers want before audio may start.
    void context()
      ?.resume()
      .catch(() => {});
  }, [on, context]);

  useEffect(() => {
    const tones = tonesSince(heard.current, tiles);
    heard.current = heardByTile(tiles);
    if (!on || tones.length === 0) return;
    const output = context();
    if (output) {
      // Suspended until the page's first user gesture (a scan's keystrokes count).
      void output.resume().catch(() => {});
      for (const tone of tones) play(output, tone);
    }
    setRecord((before) => ({
      lastTone: tones[tones.length - 1] ?? before.lastTone,
      played: before.played + tones.length,
    }));
  }, [tiles, on, context]);

  useEffect(() => () => void audio.current?.close().catch(() => {}), []);

  return { on, toggle, ...record };
}
