'use client';

import type { OpenDecisionsResponse } from '@station/contracts';
import { useState } from 'react';
import { runDecisionAction, type DecisionAction } from '../lib/yield-client';
import styles from './yield.module.css';

const ACTION_LABEL: Record<DecisionAction['kind'], string> = {
  'release-slot': 'Release',
  'disable-slot': 'Disable',
  'release-module': 'Release',
};

const time = (iso: string) => new Date(iso).toLocaleString();

/**
 * What waits for a supervisor: suspect and disabled slots, quarantined modules, each with why,
 * since when and its evidence, and the actions the line allows (each asks for the reason the
 * audit log keeps).
 */
export function OpenDecisions({
  serverUrl,
  decisions,
  onChanged,
  onSignedOut,
}: {
  serverUrl: string;
  decisions: OpenDecisionsResponse | null;
  onChanged: () => void;
  onSignedOut: () => void;
}) {
  const total = decisions ? decisions.slots.length + decisions.modules.length : 0;
  return (
    <section
      className={styles.panel}
      data-testid="open-decisions"
      aria-label="Suspect slots and quarantined modules"
    >
      <h2 className={styles.panelTitle}>Slots and modules held ({total})</h2>
      {decisions && total === 0 && (
        <p className={styles.muted}>Every slot is in rotation and no module is quarantined.</p>
      )}
      <ul className={styles.decisions}>
        {decisions?.slots.map((slot) => (
          <Decision
            key={`${slot.stationId}/${slot.slot}`}
            serverUrl={serverUrl}
            testId="held-slot"
            subject={`${slot.stationId} slot ${slot.slot} (${slot.slotLabel})`}
            word={slot.status === 'suspect' ? '⚠ SUSPECT' : '⊝ DISABLED'}
            reason={slot.reason}
            since={slot.since}
            evidence={slot.evidence}
            actions={(slot.status === 'suspect'
              ? (['release-slot', 'disable-slot'] as const)
              : (['release-slot'] as const)
            ).map((kind) => ({ kind, stationId: slot.stationId, slot: slot.slot }))}
            onChanged={onChanged}
            onSignedOut={onSignedOut}
          />
        ))}
        {decisions?.modules.map((module) => (
          <Decision
            key={module.imei}
            serverUrl={serverUrl}
            testId="held-module"
            subject={`Module ${module.imei}`}
            word="⛔ QUARANTINED"
            reason={module.reason}
            since={module.since}
            evidence={module.evidence}
            actions={[{ kind: 'release-module', imei: module.imei }]}
            onChanged={onChanged}
            onSignedOut={onSignedOut}
          />
        ))}
      </ul>
    </section>
  );
}

function Decision(props: {
  serverUrl: string;
  testId: string;
  subject: string;
  word: string;
  reason: string | null;
  since: string;
  evidence: readonly string[];
  actions: readonly DecisionAction[];
  onChanged: () => void;
  onSignedOut: () => void;
}) {
  const [asking, setAsking] = useState<DecisionAction | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const submit = async () => {
    if (!asking) return;
    setBusy(true);
    const result = await runDecisionAction(props.serverUrl, asking, reason);
    setBusy(false);
    if (!result.ok) {
      setMessage(result.message);
      if (result.signedOut) props.onSignedOut();
      return;
    }
    setAsking(null);
    setReason('');
    setMessage(null);
    props.onChanged();
  };

  return (
    <li className={styles.decision} data-testid={props.testId}>
      <span className={styles.decisionHead}>
        <strong>{props.subject}</strong> <span className={styles.decisionWord}>{props.word}</span>
      </span>
      <span className={styles.decisionReason}>{props.reason ?? 'No reason recorded.'}</span>
      <span className={styles.muted} title={props.evidence.join('\n')}>
        since {time(props.since)}
        {props.evidence.length > 0 && ` · evidence: ${props.evidence.length} attempts`}
      </span>
      {asking ? (
        <form
          className={styles.decisionForm}
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <input
            className={styles.reasonInput}
            data-testid="decision-reason"
            placeholder={`Why ${ACTION_LABEL[asking.kind].toLowerCase()}? (audit log)`}
            aria-label="Reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            autoFocus
          />
          <button
            type="submit"
            className={styles.button}
            disabled={busy}
            data-testid="decision-confirm"
          >
            {ACTION_LABEL[asking.kind]}
          </button>
          <button
            type="button"
            className={styles.button}
            disabled={busy}
            onClick={() => {
              setAsking(null);
              setMessage(null);
            }}
          >
            Cancel
          </button>
        </form>
      ) : (
        <span className={styles.decisionActions}>
          {props.actions.map((action) => (
            <button
              key={action.kind}
              type="button"
              className={styles.button}
              data-testid={`decision-${action.kind}`}
              onClick={() => setAsking(action)}
            >
              {ACTION_LABEL[action.kind]}
            </button>
          ))}
        </span>
      )}
      {message && (
        <span className={styles.decisionError} role="alert">
          {message}
        </span>
      )}
    </li>
  );
}
