import type { FlashAttempt } from '@station/db';
import type { FlashOutcome, FlashResultEvent } from '@station/contracts';

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
  >,
  where: { stationId: string; slot: number; imei: string },
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
  };
}
