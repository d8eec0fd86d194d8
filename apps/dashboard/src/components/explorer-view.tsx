'use client';

import type { AttemptsResponse } from '@station/contracts';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import type { ApiResult } from '../lib/api-result';
import { fetchAttempts } from '../lib/explorer-client';
import { checkFilter, type FilterText } from '../lib/explorer-filter';
import {
  attemptsCsvPath,
  explorerSearch,
  followTrail,
  newerCursor,
  readExplorerQuery,
  type ExplorerQuery,
} from '../lib/explorer-query';
import { AttemptsTable } from './attempts-table';
import { ExplorerFilters } from './explorer-filters';
import { ExplorerPager } from './explorer-pager';
import { ExplorerSearch } from './explorer-search';
import styles from './explorer.module.css';
import { Notice } from './notice';

/**
 * `/explorer`: every attempt, newest first, filtered as the address says. Each change of filter or
 * page is a new address (router.push), so links are shareable and the back button steps back.
 */
export function ExplorerView({
  serverUrl,
  onSignedOut,
}: {
  serverUrl: string;
  onSignedOut: () => void;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const query = useMemo(() => readExplorerQuery(new URLSearchParams(search)), [search]);
  const checked = useMemo(() => checkFilter(query.filter), [query.filter]);
  const [trail, setTrail] = useState<(string | null)[]>([]);
  const [page, setPage] = useState<{ search: string; result: ApiResult<AttemptsResponse> }>();

  useEffect(() => setTrail((before) => followTrail(before, query.cursor)), [query.cursor]);

  useEffect(() => {
    if (!checked.ok) return;
    let gone = false;
    void fetchAttempts(serverUrl, checked.filter, query.limit, query.cursor).then((result) => {
      if (gone) return;
      if (!result.ok && result.signedOut) return onSignedOut();
      setPage({ search, result });
    });
    return () => {
      gone = true;
    };
  }, [serverUrl, checked, query.limit, query.cursor, search, onSignedOut]);

  const go = (next: ExplorerQuery) => router.push(`${pathname}${explorerSearch(next)}`);
  const withFilter = (filter: FilterText, limit = query.limit) =>
    go({ filter, limit, cursor: null });
  const shown = page?.search === search ? page.result : null;

  return (
    <div className={styles.page}>
      <h1 className={styles.heading}>Attempts</h1>
      <ExplorerSearch
        key={`search-${query.filter.imei ?? ''}`}
        imei={query.filter.imei}
        onSearch={(imei) => withFilter({ ...query.filter, imei })}
      />
      <ExplorerFilters
        key={`filters-${search}`}
        filter={query.filter}
        limit={query.limit}
        onApply={withFilter}
      />
      {!checked.ok ? (
        <Notice
          tone="error"
          testId="explorer-bad-filter"
          title="This address has a filter the API refuses"
        >
          {checked.problems.map((p) => p.message).join('; ')}. Change it above.
        </Notice>
      ) : (
        <>
          <div className={styles.actions}>
            <a
              className={styles.link}
              href={`${serverUrl}${attemptsCsvPath(checked.filter)}`}
              download
              data-testid="csv-download"
            >
              Download CSV
            </a>
            <span className={styles.muted}>every attempt these filters match, newest first</span>
          </div>
          {shown === null ? (
            <p data-testid="attempts-loading">Loading attempts…</p>
          ) : !shown.ok ? (
            <Notice tone="error" testId="explorer-error" title={shown.message}>
              Reload the page to try again.
            </Notice>
          ) : (
            <section data-testid="attempts-page" data-search={search}>
              <AttemptsTable items={shown.value.items} />
              <ExplorerPager
                newer={newerCursor(trail)}
                atNewest={query.cursor === null}
                older={shown.value.nextCursor}
                onGo={(cursor) => go({ ...query, cursor })}
              />
            </section>
          )}
        </>
      )}
    </div>
  );
}
