'use client';

import { useState } from 'react';
import styles from './admin.module.css';

/**
 * A button for something that cannot be undone: the first click asks, the second does it. The
 * question says what will happen, so nobody revokes the wrong thing by a slip.
 */
export function ConfirmButton({
  label,
  question,
  testId,
  onConfirm,
}: {
  label: string;
  question: string;
  testId: string;
  onConfirm: () => Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!asking) {
    return (
      <button
        type="button"
        className={`${styles.quiet} ${styles.danger}`}
        data-testid={testId}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span className={styles.confirm} data-testid="confirm">
      {question}
      <button
        type="button"
        className={`${styles.quiet} ${styles.danger}`}
        data-testid="confirm-yes"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onConfirm().finally(() => {
            setBusy(false);
            setAsking(false);
          });
        }}
      >
        Yes, {label.toLowerCase()}
      </button>
      <button
        type="button"
        className={styles.quiet}
        data-testid="confirm-cancel"
        disabled={busy}
        onClick={() => setAsking(false)}
      >
        Cancel
      </button>
    </span>
  );
}
