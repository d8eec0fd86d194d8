import styles from './explorer.module.css';

/**
 * Keyset paging: "Older" follows the page's nextCursor; "Newer" returns along the pages this tab
 * came through, "Newest" to the first page from a page opened by a link. No page numbers.
 */
export function ExplorerPager({
  newer,
  atNewest,
  older,
  onGo,
}: {
  /** The newer page's cursor (null: the newest page); undefined when this tab has none. */
  newer: string | null | undefined;
  atNewest: boolean;
  older: string | null;
  onGo: (cursor: string | null) => void;
}) {
  return (
    <nav className={styles.pager} aria-label="Pages" data-testid="explorer-pager">
      {newer !== undefined ? (
        <button type="button" data-testid="page-newer" onClick={() => onGo(newer)}>
          ← Newer
        </button>
      ) : (
        !atNewest && (
          <button type="button" data-testid="page-newest" onClick={() => onGo(null)}>
            ⇤ Newest
          </button>
        )
      )}
      {older !== null && (
        <button type="button" data-testid="page-older" onClick={() => onGo(older)}>
          Older →
        </button>
      )}
      {older === null && <span className={styles.muted}>No older attempts.</span>}
    </nav>
  );
}
