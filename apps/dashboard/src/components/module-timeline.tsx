import type { ModuleHistoryAttempt } from '@station/contracts';
import Link from 'next/link';
import { errorText, formatTime, outcomeText } from '../lib/attempt-format';
import type { ChainGroup, DecisionMark, TimelineEntry } from '../lib/module-timeline';
import styles from './explorer.module.css';

/** Oldest first: each retry chain with its tries, and the decisions made about the module. */
export function ModuleTimeline({ entries }: { entries: readonly TimelineEntry[] }) {
  if (entries.length === 0) return <p className={styles.muted}>No attempt on this module yet.</p>;
  return (
    <ol className={styles.timeline} data-testid="module-timeline">
      {entries.map((entry) =>
        entry.kind === 'chain' ? (
          <Chain key={entry.id} group={entry} />
        ) : (
          <Decision key={entry.id} mark={entry} />
        ),
      )}
    </ol>
  );
}

function Chain({ group }: { group: ChainGroup }) {
  const retried = group.attempts.length > 1;
  return (
    <li className={styles.panel} data-testid="timeline-chain" data-outcome={group.outcome}>
      <p>
        {formatTime(group.at)}{' '}
        <strong className={styles[group.outcome]}>{outcomeText(group.outcome)}</strong>
        {retried && ` after ${group.attempts.length} tries (a retry chain)`}
      </p>
      <ol>
        {group.attempts.map((attempt) => (
          <Try key={attempt.id} attempt={attempt} />
        ))}
      </ol>
    </li>
  );
}

function Try({ attempt }: { attempt: ModuleHistoryAttempt }) {
  return (
    <li data-testid="timeline-attempt" data-attempt-id={attempt.id}>
      <Link className={styles.link} href={`/explorer/attempts/${attempt.id}`}>
        {formatTime(attempt.startedAt)}
      </Link>{' '}
      {attempt.stationId} / {attempt.slot} · {outcomeText(attempt.outcome)}
      {attempt.errorCode !== null || attempt.errorName !== null
        ? ` · ${errorText(attempt.errorCode, attempt.errorName)} at ${attempt.stageReached}`
        : ''}
      {attempt.baud !== null && <span className={styles.muted}> · {attempt.baud} baud</span>}
    </li>
  );
}

const DECISION_WORDS: Record<DecisionMark['decision']['kind'], string> = {
  'module.quarantined': 'Quarantined ⚠',
  'slot.suspect': 'Slot suspect ⚠',
};

function Decision({ mark }: { mark: DecisionMark }) {
  const { decision } = mark;
  return (
    <li className={styles.decision} data-testid="timeline-decision" data-kind={decision.kind}>
      <p>
        {formatTime(mark.at)} <strong>{DECISION_WORDS[decision.kind]}</strong>: {decision.reason}
      </p>
      {decision.releasedAt && (
        <p className={styles.muted}>
          Released {formatTime(decision.releasedAt)}
          {decision.releasedBy ? ` by ${decision.releasedBy}` : ''}
          {decision.releaseReason ? `: ${decision.releaseReason}` : ''}
        </p>
      )}
    </li>
  );
}
