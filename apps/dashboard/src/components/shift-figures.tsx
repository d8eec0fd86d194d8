import type { YieldRow } from '@station/contracts';
import { shiftFigureViews } from '../lib/shift-figures';
import styles from './yield.module.css';

/**
 * The shift so far: units, first-pass and final yield, retest rate, units per hour vs target.
 * Until the first figures arrive each card holds its place with an ellipsis, never a made-up 0.
 */
export function ShiftFigures({
  total,
  hours,
  target,
}: {
  /** Undefined until the first figures arrived; null when the shift has no finished attempt. */
  total: YieldRow | null | undefined;
  hours: number;
  /** Null until the settings arrived. */
  target: number | null;
}) {
  const loaded = total !== undefined && target !== null;
  const views = shiftFigureViews(total ?? null, hours, target ?? 0);
  return (
    <section className={styles.figures} data-testid="shift-figures" aria-label="This shift">
      {views.map((view) => (
        <div
          key={view.id}
          className={styles.figure}
          data-testid="figure"
          data-figure={view.id}
          data-tone={loaded ? view.tone : 'neutral'}
        >
          <span className={styles.figureLabel}>{view.label}</span>
          <strong className={styles.figureValue} data-testid="figure-value">
            {loaded ? view.value : '…'}
          </strong>
          <span className={styles.figureDetail}>{loaded ? view.detail : ''}</span>
        </div>
      ))}
    </section>
  );
}
