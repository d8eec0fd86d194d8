import type { ProtocolTrace } from '@station/contracts';
import { NO_TRACE, traceRows } from '../lib/trace-rows';
import styles from './explorer.module.css';

/**
 * The protocol trace as a timeline: one row per exchange, decoded; a failing row says FAILED with
 * ✗ and is marked (not by colour alone); the entries the station's buffer dropped show as a gap.
 */
export function TraceTimeline({ trace }: { trace: ProtocolTrace | null }) {
  return (
    <section className={styles.panel}>
      <h2 className={styles.heading}>Protocol trace</h2>
      {trace === null ? (
        <p className={styles.muted} data-testid="trace-none">
          {NO_TRACE}
        </p>
      ) : (
        <ol className={styles.trace} data-testid="trace">
          {traceRows(trace).map((row) =>
            row.kind === 'gap' ? (
              <li key="gap" className={styles.gap} data-testid="trace-gap">
                ⋯ {row.text}
              </li>
            ) : (
              <li
                key={row.index}
                className={`${styles.traceRow} ${row.ok ? '' : styles.traceFailed}`}
                data-testid="trace-entry"
                data-ok={row.ok}
              >
                <span>{row.offset}</span>
                <span>{row.stage}</span>
                <span data-testid="trace-text">
                  {!row.ok && <strong>FAILED </strong>}
                  {row.text}
                </span>
              </li>
            ),
          )}
        </ol>
      )}
    </section>
  );
}
