'use client';

import type { Alert } from '@station/contracts';
import type { AlertsView } from '../lib/use-alerts';
import styles from './alerts.module.css';

const KIND_LABEL: Record<Alert['kind'], string> = {
  yield_below_target: 'Yield below target',
  slot_silent: 'Slot silent',
  retest_rate_high: 'Retests high',
  station_offline: 'Station offline',
  results_waiting: 'Results waiting',
  slot_suspect: 'Suspect slot',
};

const sinceLabel = (since: string) =>
  new Date(since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * The alerts firing now, most severe first, each with what to do. `compact`: one line each (the
 * line view); nothing at all when none fire there.
 */
export function AlertList({ view, compact = false }: { view: AlertsView; compact?: boolean }) {
  const { alerts, error } = view;
  const firing = alerts?.alerts ?? [];
  if (compact && firing.length === 0 && alerts?.state !== 'unknown') return null;
  return (
    <section
      className={`${styles.alerts} ${compact ? styles.compact : ''}`}
      data-testid="alerts"
      data-state={alerts?.state ?? 'loading'}
      aria-live="polite"
    >
      {alerts?.state === 'unknown' && (
        <p className={styles.unknown} data-testid="alerts-unknown">
          Alerts unknown: {alerts.error}
        </p>
      )}
      {error && (
        <p className={styles.unknown} data-testid="alerts-error">
          {error}
        </p>
      )}
      {!compact && alerts && firing.length === 0 && (
        <p className={styles.none} data-testid="alerts-none">
          No alerts
        </p>
      )}
      {firing.length > 0 && (
        <ul className={styles.list}>
          {firing.map((alert) => (
            <li
              key={alert.id}
              className={`${styles.alert} ${styles[alert.severity]}`}
              data-testid="alert"
              data-alert-id={alert.id}
              data-severity={alert.severity}
            >
              <span className={styles.kind}>{KIND_LABEL[alert.kind]}</span>
              <span className={styles.message}>{alert.message}</span>
              <span className={styles.action} data-testid="alert-action">
                <strong className={styles.actionLabel}>Action:</strong> {alert.action}
              </span>
              <span className={styles.since}>since {sinceLabel(alert.since)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
