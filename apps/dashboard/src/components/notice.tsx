import type { ReactNode } from 'react';
import styles from './notice.module.css';

/** A banner for empty and error states: one bold line saying what, one line saying what to do. */
export function Notice(props: {
  tone: 'info' | 'warning' | 'error';
  testId: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <section
      className={`${styles.notice} ${styles[props.tone]}`}
      data-testid={props.testId}
      role={props.tone === 'error' ? 'alert' : 'status'}
    >
      <p className={styles.title}>{props.title}</p>
      <p className={styles.detail}>{props.children}</p>
    </section>
  );
}
