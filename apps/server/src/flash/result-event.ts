import type { FlashAttempt } from '@station/db';
import type {
  AttributionDecision,
  FlashOutcome,
  FlashResultEvent,
  RetryPlan,
} from '@station/contracts';

/** What the line decided about the attempt: the retry it started, the judgements it triggered. */
export interface ResultJudgement {
  retry?: RetryPlan | null;
  decisions?: AttributionDecision[];
}

/** A finished attempt as the dashboard hears it (`flash:result`, and a slot's `last` result). */
export function resultEventOf(
  attempt: Pick<
    FlashAttempt,
    | 'id'
    | 'outcome'
    | 'errorCode'
    | 'errorName'
    | 'stageReached'
    | 'operatorHint'
    | 'revisionBefore'
    | 'revisionAfter'
    | 'reportedImei'
    | 'startedAt'
    | 'endedAt'
    | 'retryOfId'
  >,
  where: { stationId: string; slot: number; imei: string },
  judgement: ResultJudgement = {},
): FlashResultEvent {
  const endedAt = attempt.endedAt ?? new Date();
  const passed = attempt.outcome === 'passed';
  return {
    v: 1,
    attemptId: attempt.id,
    stationId: where.stationId,
    slot: where.slot,
    imei: where.imei,
    // `canceled` is a stored outcome no station reports yet; to a screen it is an interruption.
    outcome: (attempt.outcome === 'canceled' ? 'interrupted' : attempt.outcome) as FlashOutcome,
    errorCode: passed ? null : attempt.errorCode,
    errorName: passed ? null : attempt.errorName,
    stage: attempt.stageReached,
    reportedImei: attempt.reportedImei,
    operatorHint: passed ? null : attempt.operatorHint,
    revisionBefore: attempt.revisionBefore,
    revisionAfter: attempt.revisionAfter,
    durationMs: Math.max(0, endedAt.getTime() - attempt.startedAt.getTime()),
    endedAt: endedAt.toISOString(),
    retryOfId: attempt.retryOfId,
    retry: judgement.retry ?? null,
    // Only when there are some: a slot's `last` (read from the record) then equals its event.
    ...(judgement.decisions?.length ? { decisions: judgement.decisions } : {}),
  };
}
