'use client';

import { useRef, useState, type ReactNode } from 'react';
import styles from './admin.module.css';

/**
 * A secret the server showed once (an API key, a station's credential): the value, a copy button,
 * and plainly that it will not be shown again. Stays until the admin says it is copied.
 */
export function SecretOnce({
  title,
  secret,
  onDismiss,
  children,
}: {
  title: string;
  secret: string;
  onDismiss: () => void;
  children?: ReactNode;
}) {
  const value = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<string | null>(null);

  const copy = async () => {
    try {
      // Only in a secure context (HTTPS or localhost); a line's plain-HTTP address has none.
      await navigator.clipboard.writeText(secret);
      setCopied('Copied to the clipboard');
    } catch {
      const range = document.createRange();
      if (value.current) range.selectNodeContents(value.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setCopied('Selected: press Ctrl+C to copy');
    }
  };

  return (
    <section className={styles.secret} data-testid="secret-once" role="alert">
      <p className={styles.sectionTitle}>{title}</p>
      <code className={styles.secretValue} ref={value} data-testid="secret-value">
        {secret}
      </code>
      <p className={styles.warning}>
        You will not see this again: copy it now. Lost, it cannot be recovered, only replaced.
      </p>
      {children}
      <div className={styles.actions}>
        <button
          type="button"
          className={styles.button}
          data-testid="secret-copy"
          onClick={() => void copy()}
        >
          Copy
        </button>
        <button
          type="button"
          className={styles.quiet}
          data-testid="secret-dismiss"
          onClick={onDismiss}
        >
          I have copied it
        </button>
        {copied && (
          <span className={styles.status} data-testid="secret-copied">
            {copied}
          </span>
        )}
      </div>
    </section>
  );
}
