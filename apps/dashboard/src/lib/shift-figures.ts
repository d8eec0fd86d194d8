import type { YieldRow } from '@station/contracts';

/** The shift's headline figures as the page shows them (pure; definitions in docs/analytics.md). */
export type FigureTone = 'ok' | 'warn' | 'bad' | 'neutral';

export interface FigureView {
  id: 'units' | 'first-pass' | 'final' | 'retest' | 'per-hour';
  label: string;
  value: string;
  detail: string;
  /** Against the target (units per hour) only; the others are plain figures. */
  tone: FigureTone;
}

/** `0.5` → `50 %`, `2/3` → `66.7 %`; no figure → `—`. */
export function percent(ratio: number | null): string {
  if (ratio === null) return '—';
  return `${(ratio * 100).toFixed(1).replace(/\.0$/, '')} %`;
}

const PACE_WORD: Record<FigureTone, string> = {
  ok: 'on pace',
  warn: 'a little behind',
  bad: 'behind',
  neutral: '',
};

/** At or above the target: ok; within a fifth below it: warn; further below: bad. */
export function paceTone(unitsPerHour: number, target: number): FigureTone {
  if (unitsPerHour >= target) return 'ok';
  return unitsPerHour >= target * 0.8 ? 'warn' : 'bad';
}

/**
 * `total`: the shift's one yield row (null before anything finished); `hours`: hours of the shift
 * gone by. Units per hour = units passed / those hours.
 */
export function shiftFigureViews(
  total: YieldRow | null,
  hours: number,
  target: number,
): FigureView[] {
  const units = total?.units ?? 0;
  const passed = total?.finalYield == null ? 0 : Math.round(total.finalYield * units);
  const perHour = passed / hours;
  return [
    {
      id: 'units',
      label: 'Units',
      value: String(units),
      detail: `${total?.attempts ?? 0} attempts · ${total?.interrupted ?? 0} interrupted`,
      tone: 'neutral',
    },
    {
      id: 'first-pass',
      label: 'First-pass yield',
      value: percent(total?.firstPassYield ?? null),
      detail: 'passed at their first attempt',
      tone: 'neutral',
    },
    {
      id: 'final',
      label: 'Final yield',
      value: percent(total?.finalYield ?? null),
      detail: `${passed} of ${units} passed`,
      tone: 'neutral',
    },
    {
      id: 'retest',
      label: 'Retest rate',
      value: percent(total?.retestRate ?? null),
      detail: 'extra attempts per unit',
      tone: 'neutral',
    },
    {
      id: 'per-hour',
      label: 'Units per hour',
      value: perHour.toFixed(1),
      detail: `target ${target} · ${PACE_WORD[paceTone(perHour, target)]}`,
      tone: paceTone(perHour, target),
    },
  ];
}
