// The line's judgement of a stored failure (issue #9 §1, §2), inside the transaction that stores
// it: attribution judges its slot first (every failure, retried or not, is the slot's evidence),
// then the policy retries it as a new linked attempt in the same slot (no scan can take the slot
// in between) unless the slot just turned suspect; when its chain ends here, the module is judged.
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
  const judgeOptions = {
    blameOf: (name: string | null) => faultClassOf(name).blame,
    thresholds: config.thresholds,
  };
  // Judged before the retry is decided: a module is not retried in a slot this failure condemns;
  // its chain ends, and the failure is the slot's evidence, not the module's.
  const slotDecisions = await attributionRepository.judgeSlot(tx, attempt.id, judgeOptions);
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
    if (opened)
      return { retry: { attempt: opened, reason: decision.reason }, decisions: slotDecisions };
    noRetry = 'the slot or module has another open attempt';
  }
  // The chain ends with this failure: it is the module's evidence now (unless the slot's).
  const moduleDecisions = await attributionRepository.judgeModule(tx, attempt.id, judgeOptions);
  return {
    retry: null,
    decisions: [...slotDecisions, ...moduleDecisions],
    ...(noRetry ? { noRetry } : {}),
  };
}
