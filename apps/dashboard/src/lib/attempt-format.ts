import type { AttemptOutcomeFilter } from '@station/contracts';

/** An outcome as a word and a symbol, readable without colour (as the tiles show them). */
export const OUTCOME_LOOK: Readonly<
  Record<AttemptOutcomeFilter, { word: string; symbol: string }>
> = {
  running: { word: 'RUNNING', symbol: '▶' },
  passed: { word: 'PASS', symbol: '✓' },
  failed: { word: 'FAIL', symbol: '✕' },
  interrupted: { word: 'INTERRUPTED', symbol: '■' },
  canceled: { word: 'CANCELED', symbol: '⊘' },
};

export const outcomeText = (outcome: AttemptOutcomeFilter): string =>
  `${OUTCOME_LOOK[outcome].word} ${OUTCOME_LOOK[outcome].symbol}`;

/** A duration in the unit a person reads at a glance: "850 ms", "12.4 s", "3 min 05 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time in the browser's local time, to the second: "2026-11-27 14:05:09". */
export function formatTime(iso: string | null): string {
  if (iso === null) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/** "2004 S_BROM_DOWNLOAD_DA_FAIL", the code or the name alone, or "—". */
export function errorText(code: number | null, name: string | null): string {
  const text = [code, name].filter((part) => part !== null).join(' ');
  return text || '—';
}
