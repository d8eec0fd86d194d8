import { formatDuration } from '../lib/attempt-format';
import { stageBars } from '../lib/stage-bars';
import styles from './explorer.module.css';

/** A horizontal bar per stage, as long as its share of the longest stage (CSS only). */
export function StageTimings({ timings }: { timings: Record<string, number> | null }) {
  const bars = stageBars(timings);
  return (
    <section className={styles.panel}>
      <h2 className={styles.heading}>Stage timings</h2>
      {bars.length === 0 ? (
        <p className={styles.muted}>No stage timings were recorded.</p>
      ) : (
        <div className={styles.bars} data-testid="stage-timings">
          {bars.map((bar) => (
            <div key={bar.stage} style={{ display: 'contents' }} data-testid="stage-bar">
              <span>{bar.stage}</span>
              <div className={styles.track} aria-hidden="true">
                <div className={styles.bar} style={{ width: `${bar.width}%` }} />
              </div>
              <span>{formatDuration(bar.ms)}</span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
