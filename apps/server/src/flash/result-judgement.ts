// The line's judgement of a stored failure (issue #9 §1, §2), inside the transaction that stores
// it: retry it as a new linked attempt in the same slot (no scan can take the slot in between),
// or, when its chain ends here, let attribution judge the module and the slot from the record.
import {
  attemptRepository,
  attributionRepository,
  type AttributionThresholds,
  type FlashAttempt,
  type Module,
  type Prisma,
  type StoredDecision,
} from '@station/db';
import { faultClassOf } from './fault-class';
import { decideRetry, type RetryConfig } from './retry-policy';

export interface JudgementConfig {
  retry: RetryConfig;
  thresholds: AttributionThresholds;
}

export interface Judged {
  /** The retry opened for the failure (running, not yet queued), and why. */
  retry: { attempt: FlashAttempt; reason: 'power' | 'baud' } | null;
  decisions: StoredDecision[];
  /** Why the failure was not retried (for the log), when it was not. */
  noRetry?: string;
}

const NOTHING: Judged = { retry: null, decisions: [] };

export async function judgeStoredResult(
  tx: Prisma.TransactionClient,
  stored: { attempt: FlashAttempt; module: Module },
  config: JudgementConfig,
): Promise<Judged> {
  const { attempt, module } = stored;
  if (attempt.outcome !== 'failed') return NOTHING;
  const slot = await tx.slot.findUniqueOrThrow({ where: { id: attempt.slotId } });
  const decision = decideRetry(
    {
      failed: { outcome: attempt.outcome, errorName: attempt.errorName, baud: attempt.baud },
      chain: await attemptRepository.chainBauds(tx, attempt.id),
      slotStatus: slot.status,
      moduleStatus: module.status,
    },
    config.retry,
  );
  let noRetry = decision.retry ? undefined : decision.why;
  if (decision.retry) {
    const opened = await attemptRepository.openRetry(tx, attempt.id, decision.baud);
    if (opened) return { retry: { attempt: opened, reason: decision.reason }, decisions: [] };
    noRetry = 'the slot or module has another open attempt';
  }
  // The chain ends with this failure: it is evidence now.
  const decisions = await attributionRepository.judge(tx, attempt.id, {
    blameOf: (name) => faultClassOf(name).blame,
    thresholds: config.thresholds,
  });
  return { retry: null, decisions, ...(noRetry ? { noRetry } : {}) };
}
