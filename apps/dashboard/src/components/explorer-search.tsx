'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { readSearchBox } from '../lib/search-box';
import styles from './explorer.module.css';

/**
 * The IMEI search: typed, or scanned (a scanner types the label and Enter). The label is read as
 * the scan path reads it; a label that is no IMEI is refused in one sentence and nothing changes.
 */
export function ExplorerSearch({
  imei,
  onSearch,
}: {
  /** The IMEI the list is filtered by now, if any. */
  imei: string | undefined;
  onSearch: (imei: string | undefined) => void;
}) {
  const [text, setText] = useState(imei ?? '');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const reading = readSearchBox(text);
    if (!reading.ok) return setProblem(reading.message);
    setProblem(null);
    setText(reading.imei);
    onSearch(reading.imei);
  };

  return (
    <form className={`${styles.panel} ${styles.search}`} onSubmit={submit} role="search">
      <label htmlFor="explorer-search">IMEI or module label</label>
      <input
        id="explorer-search"
        data-testid="explorer-search"
        value={text}
        autoFocus
        autoComplete="off"
        spellCheck={false}
        placeholder="Type or scan an IMEI or a module label"
        onChange={(event) => setText(event.target.value)}
      />
      <div className={styles.actions}>
        <button type="submit">Search</button>
        {imei && (
          <>
            <button
              type="button"
              data-testid="explorer-search-clear"
              onClick={() => {
                setText('');
                setProblem(null);
                onSearch(undefined);
              }}
            >
              All modules
            </button>
            <Link
              className={styles.link}
              href={`/explorer/modules/${imei}`}
              data-testid="module-history-link"
            >
              History of {imei}
            </Link>
          </>
        )}
      </div>
      {problem && (
        <p className={styles.problem} role="alert" data-testid="explorer-search-problem">
          {problem}
        </p>
      )}
    </form>
  );
}
