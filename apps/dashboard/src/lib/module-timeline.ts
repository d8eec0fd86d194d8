import type { DecisionRecord, ModuleHistoryAttempt } from '@station/contracts';

/** A first try and the retries the line made of it, oldest first. */
export interface ChainGroup {
  kind: 'chain';
  /** The first try's id. */
  id: string;
  at: string;
  attempts: ModuleHistoryAttempt[];
  /** The last try's outcome: what the chain came to. */
  outcome: ModuleHistoryAttempt['outcome'];
}

export interface DecisionMark {
  kind: 'decision';
  id: string;
  at: string;
  decision: DecisionRecord;
}

export type TimelineEntry = ChainGroup | DecisionMark;

const byTime = (a: { at: string }, b: { at: string }) => a.at.localeCompare(b.at);
const byStart = (a: ModuleHistoryAttempt, b: ModuleHistoryAttempt) =>
  a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id);

/**
 * A module's history as a timeline, oldest first: each retry chain (`retryOfId` links) one group,
 * decisions (quarantine) between them at the time they were made. An attempt whose `retryOfId`
 * names an attempt not in the history starts a group of its own.
 */
export function moduleTimeline(
  attempts: readonly ModuleHistoryAttempt[],
  decisions: readonly DecisionRecord[],
): TimelineEntry[] {
  const ordered = [...attempts].sort(byStart);
  const groupOf = new Map<string, ChainGroup>();
  const groups: ChainGroup[] = [];
  for (const attempt of ordered) {
    const parent = attempt.retryOfId === null ? undefined : groupOf.get(attempt.retryOfId);
    if (parent) {
      parent.attempts.push(attempt);
      parent.outcome = attempt.outcome;
      groupOf.set(attempt.id, parent);
    } else {
      const group: ChainGroup = {
        kind: 'chain',
        id: attempt.id,
        at: attempt.startedAt,
        attempts: [attempt],
        outcome: attempt.outcome,
      };
      groups.push(group);
      groupOf.set(attempt.id, group);
    }
  }
  const marks: DecisionMark[] = decisions.map((decision) => ({
    kind: 'decision',
    id: decision.id,
    at: decision.decidedAt,
    decision,
  }));
  // A stable sort: a decision made at a chain's start time comes after the chain.
  return [...groups, ...marks].sort(byTime);
}
