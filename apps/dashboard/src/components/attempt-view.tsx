'use client';

import type { AttemptDetail } from '@station/contracts';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { ApiResult } from '../lib/api-result';
import { fetchAttempt } from '../lib/explorer-client';
import { AttemptSummary } from './attempt-summary';
import styles from './explorer.module.css';
import { Notice } from './notice';
import { RetryChain } from './retry-chain';
import { StageTimings } from './stage-timings';
import { TraceTimeline } from './trace-timeline';

/** `/explorer/attempts/<id>`: what an engineer needs to judge one attempt. */
export function AttemptView({
  serverUrl,
  id,
  onSignedOut,
}: {
  serverUrl: string;
  id: string;
  onSignedOut: () => void;
}) {
  const [loaded, setLoaded] = useState<{ id: string; result: ApiResult<AttemptDetail> }>();

  useEffect(() => {
    let gone = false;
    void fetchAttempt(serverUrl, id).then((result) => {
      if (gone) return;
      if (!result.ok && result.signedOut) return onSignedOut();
      setLoaded({ id, result });
    });
    return () => {
      gone = true;
    };
  }, [serverUrl, id, onSignedOut]);

  const result = loaded?.id === id ? loaded.result : null;
  if (result === null) return <p data-testid="attempt-loading">Loading the attempt…</p>;
  if (!result.ok) {
    return (
      <Notice tone="error" testId="attempt-error-notice" title={result.message}>
        <Link href="/explorer">Back to the attempts</Link>
      </Notice>
    );
  }
  const attempt = result.value;
  return (
    <div className={styles.page} data-testid="attempt-page" data-attempt-id={attempt.id}>
      <h1 className={styles.heading}>
        Attempt on {attempt.imei}{' '}
        <span className={styles.muted}>
          {attempt.station} / slot {attempt.slot}
        </span>
      </h1>
      <p className={styles.actions}>
        <Link className={styles.link} href={`/explorer/modules/${attempt.imei}`}>
          Module history
        </Link>
        <Link className={styles.link} href={`/explorer?imei=${attempt.imei}`}>
          All attempts on this module
        </Link>
      </p>
      <AttemptSummary attempt={attempt} />
      <RetryChain chain={attempt.retryChain} current={attempt.id} />
      <StageTimings timings={attempt.stageTimings} />
      <TraceTimeline trace={attempt.trace} />
    </div>
  );
}
