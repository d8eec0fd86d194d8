import Link from 'next/link';
import styles from './explorer.module.css';

/** The tries of this attempt's retry chain, first to last, each a link; this one marked. */
export function RetryChain({ chain, current }: { chain: readonly string[]; current: string }) {
  if (chain.length <= 1) {
    return (
      <p className={styles.muted} data-testid="retry-chain-none">
        No retry: this attempt is a chain of one.
      </p>
    );
  }
  return (
    <section className={styles.panel}>
      <h2 className={styles.heading}>Retry chain</h2>
      <ol className={styles.chain} data-testid="retry-chain">
        {chain.map((id, index) => (
          <li key={id}>
            {id === current ? (
              <span className={styles.current} aria-current="page" data-testid="retry-current">
                Try {index + 1} of {chain.length} (this one)
              </span>
            ) : (
              <Link
                className={styles.link}
                href={`/explorer/attempts/${id}`}
                data-testid="retry-link"
              >
                Try {index + 1} of {chain.length}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
