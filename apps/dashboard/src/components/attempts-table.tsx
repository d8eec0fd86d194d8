import type { AttemptListItem } from '@station/contracts';
import Link from 'next/link';
import { errorText, formatDuration, formatTime, outcomeText } from '../lib/attempt-format';
import styles from './explorer.module.css';

/** One page of attempts, newest first; each opens its attempt page, each IMEI its module. */
export function AttemptsTable({ items }: { items: readonly AttemptListItem[] }) {
  if (items.length === 0) {
    return (
      <p data-testid="attempts-empty" className={styles.muted}>
        No attempt matches these filters.
      </p>
    );
  }
  return (
    <table className={styles.table} data-testid="attempts-table">
      <thead>
        <tr>
          <th>Started</th>
          <th>IMEI</th>
          <th>Station / slot</th>
          <th>Package</th>
          <th>Outcome</th>
          <th>Error</th>
          <th>Stage</th>
          <th>Duration</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} data-testid="attempt-row" data-attempt-id={item.id}>
            <td>
              <Link href={`/explorer/attempts/${item.id}`} data-testid="attempt-link">
                {formatTime(item.startedAt)}
              </Link>
            </td>
            <td>
              <Link href={`/explorer/modules/${item.imei}`}>{item.imei}</Link>
            </td>
            <td>
              {item.station} / {item.slot}
            </td>
            <td>
              {item.packageName} <span className={styles.muted}>{item.packageRevision}</span>
            </td>
            <td className={styles[item.outcome]} data-testid="attempt-outcome">
              {outcomeText(item.outcome)}
            </td>
            <td>{errorText(item.errorCode, item.errorName)}</td>
            <td>{item.stageReached}</td>
            <td>{formatDuration(item.durationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
