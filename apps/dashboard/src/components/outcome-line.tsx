import type { Outcome } from '../lib/use-admin-list';
import styles from './admin.module.css';

/** What the last change came to: done, or the server's reason it was refused. */
export function OutcomeLine({ outcome }: { outcome: Outcome | null }) {
  if (outcome === null) return null;
  return outcome.ok ? (
    <p className={styles.status} role="status" data-testid="admin-status">
      {outcome.message}
    </p>
  ) : (
    <p className={styles.error} role="alert" data-testid="admin-error">
      {outcome.message}
    </p>
  );
}
