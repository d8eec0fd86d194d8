'use client';

import type { ModuleHistoryResponse } from '@station/contracts';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { ApiResult } from '../lib/api-result';
import { fetchModuleHistory } from '../lib/explorer-client';
import { moduleTimeline } from '../lib/module-timeline';
import styles from './explorer.module.css';
import { ModuleTimeline } from './module-timeline';
import { Notice } from './notice';

/** `/explorer/modules/<imei>`: the module's status and its attempts as a timeline. */
export function ModuleHistoryView({
  serverUrl,
  imei,
  onSignedOut,
}: {
  serverUrl: string;
  imei: string;
  onSignedOut: () => void;
}) {
  const [loaded, setLoaded] = useState<{
    imei: string;
    result: ApiResult<ModuleHistoryResponse>;
  }>();

  useEffect(() => {
    let gone = false;
    void fetchModuleHistory(serverUrl, imei).then((result) => {
      if (gone) return;
      if (!result.ok && result.signedOut) return onSignedOut();
      setLoaded({ imei, result });
    });
    return () => {
      gone = true;
    };
  }, [serverUrl, imei, onSignedOut]);

  const result = loaded?.imei === imei ? loaded.result : null;
  if (result === null) return <p data-testid="module-loading">Loading the module…</p>;
  if (!result.ok) {
    return (
      <Notice tone="error" testId="module-error" title={result.message}>
        <Link href="/explorer">Back to the attempts</Link>
      </Notice>
    );
  }
  const history = result.value;
  return (
    <div className={styles.page} data-testid="module-page">
      <h1 className={styles.heading}>Module {history.imei}</h1>
      <section className={styles.panel}>
        <dl className={styles.facts}>
          <dt>Status</dt>
          <dd data-testid="module-status">
            {history.status}
            {history.statusReason ? `: ${history.statusReason}` : ''}
          </dd>
          <dt>Revision now</dt>
          <dd>{history.currentRevision ?? '—'}</dd>
          <dt>Attempts</dt>
          <dd>
            {history.attempts.length}{' '}
            <Link className={styles.link} href={`/explorer?imei=${history.imei}`}>
              as a list
            </Link>
          </dd>
        </dl>
      </section>
      <ModuleTimeline entries={moduleTimeline(history.attempts, history.decisions)} />
    </div>
  );
}
