import type { RetryNote, SlotHold, TileView } from './flash-tile';
import type { SlotState } from './station-list';

/**
 * How a tile presents its state so that colour is never the only signal: each state has a word,
 * a symbol and (in slot-tile.module.css, keyed on the same `state`) its own border and pattern.
 * Pure.
 */
export type TileLookState =
  | 'idle'
  | 'invalid'
  | 'starting'
  | 'rejected'
  | 'running'
  | 'retrying'
  | 'prompt'
  | 'passed'
  | 'failed'
  | 'interrupted'
  | 'offline'
  | 'suspect'
  | 'disabled';

export interface TileLook {
  state: TileLookState;
  word: string;
  /** One character; the power symbol is drawn (few fonts have U+23FB), the others are text. */
  symbol: string;
}

export const POWER_SYMBOL = '⏻';

export const TILE_LOOKS: Readonly<Record<TileLookState, TileLook>> = {
  idle: { state: 'idle', word: 'IDLE', symbol: '○' },
  invalid: { state: 'invalid', word: 'BAD LABEL', symbol: '?' },
  starting: { state: 'starting', word: 'STARTING', symbol: '…' },
  rejected: { state: 'rejected', word: 'NOT STARTED', symbol: '⊘' },
  running: { state: 'running', word: 'FLASHING', symbol: '▶' },
  retrying: { state: 'retrying', word: 'RETRYING', symbol: '↻' },
  prompt: { state: 'prompt', word: 'POWER-CYCLE NOW', symbol: POWER_SYMBOL },
  passed: { state: 'passed', word: 'PASS', symbol: '✓' },
  failed: { state: 'failed', word: 'FAIL', symbol: '✕' },
  interrupted: { state: 'interrupted', word: 'INTERRUPTED', symbol: '■' },
  offline: { state: 'offline', word: 'OFFLINE', symbol: '◌' },
  suspect: { state: 'suspect', word: 'SUSPECT', symbol: '⚠' },
  disabled: { state: 'disabled', word: 'DISABLED', symbol: '⊝' },
};

const HOLD_LOOK: Readonly<Record<SlotHold['state'], TileLookState>> = {
  suspect: 'suspect',
  offline: 'offline',
  disabled: 'disabled',
};

function viewLook(view: TileView): TileLookState {
  switch (view.kind) {
    case 'idle':
      return 'idle';
    case 'invalid':
      return 'invalid';
    case 'submitting':
      return 'starting';
    case 'rejected':
      return 'rejected';
    case 'running':
      if (view.attempt.prompt) return 'prompt';
      return view.attempt.retry ? 'retrying' : 'running';
    case 'held':
      return HOLD_LOOK[view.hold.state];
    case 'finished':
      // A failure the line retries is not the verdict: the retry's result will be.
      if (view.result.retry) return 'retrying';
      return view.result.outcome;
  }
}

/** The station's word on the slot (gone, port missing) comes before anything the tile knows. */
export const tileLook = (slot: SlotState, view: TileView): TileLook =>
  TILE_LOOKS[slot === 'online' ? viewLook(view) : 'offline'];

/** What the retry does, in the operator's words. */
export function retryText(retry: Pick<RetryNote, 'reason' | 'baud'>): string {
  return retry.reason === 'baud' ? `Retrying at ${retry.baud}` : 'Retrying: power-cycle when asked';
}

/** Whole seconds left until `until` (ISO time) at `now` (ms), never below zero. */
export function secondsLeft(until: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
}
