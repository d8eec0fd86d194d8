import type { YieldRow } from '@station/contracts';
import { shiftFigureViews } from '../lib/shift-figures';
import styles from './yield.module.css';

/** The shift so far: units, first-pass and final yield, retest rate, units per hour vs target. */
export function ShiftFigures({
  total,
  hours,
  target,
}: {
  total: YieldRow | null;
  hours: number;
  /** Null until the settings arrived. */
  target: number | null;
}) {
  const views = shiftFigureViews(total, hours, target ?? 0);
  return (
    <section className={styles.figures} data-testid="shift-figures" aria-label="This shift">
      {views.map((view) => (
        <div
          key={view.id}
          className={styles.figure}
          data-testid="figure"
          data-figure={view.id}
          data-tone={target === null ? 'neutral' : view.tone}
        >
          <span className={styles.figureLabel}>{view.label}</span>
          <strong className={styles.figureValue} data-testid="figure-value">
            {view.value}
          </strong>
          <span className={styles.figureDetail}>
            {target === null && view.id === 'per-hour' ? '' : view.detail}
          </span>
        </div>
      ))}
    </section>
  );
}
