import type { AttributionDecision, FlashResultEvent } from '@station/contracts';
import type { RunningAttempt, SlotHold, TileView } from '../lib/flash-tile';
import { stageLabel } from '../lib/stage-label';
import { retryText } from '../lib/tile-look';
import styles from './flash-status.module.css';

/**
 * The tile's middle: what the operator must read from a few metres away. Lines come most
 * important first; a small tile shows only the first (slot-tile.module.css), and every line's
 * full text is in its `title` and in the body's, so truncated text can still be read.
 */

/** A line of text that may be cut with an ellipsis (one line) or clamped (a few lines). */
function Line({
  text,
  className,
  testId,
  alert,
}: {
  text: string;
  className: string;
  testId?: string;
  alert?: boolean;
}) {
  return (
    <p className={className} data-testid={testId} role={alert ? 'alert' : undefined} title={text}>
      {text}
    </p>
  );
}

/** A small tile's text: everything the body says, clamped to the lines it has room for. */
function Summary({ text, codes }: { text: string; codes?: boolean }) {
  return (
    <Line
      text={text}
      className={cls(styles.clamp, styles.solo, styles.summary, codes && styles.detail)}
    />
  );
}

/**
 * The new revision, whole: a narrow panel drops the word "Now" (flash-status.module.css) so the
 * revision itself fits instead of ending in an ellipsis.
 */
function RevisionLine({ revision }: { revision: string }) {
  return (
    <p
      className={cls(styles.line, styles.detail)}
      data-testid="flash-revision"
      title={`Now ${revision}`}
    >
      <span className={styles.nowWord}>Now </span>
      {revision}
    </p>
  );
}

const cls = (...names: (string | undefined | false)[]) => names.filter(Boolean).join(' ');

/** Label and module disagree: the operator must see both numbers to sort the modules out. */
const mismatchText = (result: FlashResultEvent): string | null =>
  result.reportedImei === null || result.reportedImei === result.imei
    ? null
    : `Label and module do not match: the label says ${result.imei}, the module reports ${result.reportedImei}`;

const DECISION_WORDS: Record<AttributionDecision['kind'], string> = {
  'module.quarantined': 'Module quarantined',
  'slot.suspect': 'Slot suspect',
};

const HOLD_WORDS: Record<SlotHold['state'], string> = {
  suspect: 'Out of rotation until a supervisor releases it',
  offline: 'Offline',
  disabled: 'Disabled by a supervisor',
};

function Running({ attempt }: { attempt: RunningAttempt }) {
  const stage = stageLabel(attempt.stage);
  const percent = attempt.percent === null ? null : `${Math.floor(attempt.percent)} %`;
  const retry = attempt.retry ? retryText(attempt.retry) : null;
  const retried = attempt.retry?.failedErrorName ? `after ${attempt.retry.failedErrorName}` : null;
  const prompt = attempt.prompt;
  const retryLine = retry && (
    <Line text={retry} className={cls(styles.line, styles.retry)} testId="flash-retry" />
  );
  const title = [
    prompt && 'Power-cycle the module now',
    `${stage}${percent ? ` ${percent}` : ''}`,
    retry,
    retried,
    `IMEI ${attempt.imei}`,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className={styles.body} title={title}>
      {prompt && (
        <p
          className={cls(styles.row, styles.prompt)}
          data-testid="flash-prompt"
          data-round={prompt.round}
          role="alert"
        >
          <span className={styles.cut} title="Power-cycle the module now">
            Power-cycle the module now
          </span>
        </p>
      )}
      {/* A retry that has not started yet: what it will do says more than "waiting". */}
      {retryLine && attempt.stage === 'queued' && retryLine}
      <p className={styles.row}>
        <span
          className={cls(styles.cut, styles.stage)}
          data-testid="flash-stage"
          data-stage={attempt.stage}
          title={stage}
        >
          {stage}
        </span>
        {percent !== null && (
          <span className={styles.percent} data-testid="flash-percent">
            {percent}
          </span>
        )}
      </p>
      {retryLine && attempt.stage !== 'queued' && retryLine}
      {retried && <Line text={retried} className={cls(styles.line, styles.detail)} />}
      <Line
        text={`IMEI ${attempt.imei}`}
        className={cls(styles.line, styles.detail)}
        testId="flash-imei"
      />
    </div>
  );
}

function Finished({ result }: { result: FlashResultEvent }) {
  const mismatch = mismatchText(result);
  const decisions = (result.decisions ?? []).map(
    (decision) => `${DECISION_WORDS[decision.kind]}: ${decision.reason}`,
  );
  const retry = result.retry ? retryText(result.retry) : null;
  if (result.outcome === 'passed') {
    const revisionAfter = result.revisionAfter ?? 'revision unknown';
    const lines = [`Now ${revisionAfter}`, `IMEI ${result.imei}`, mismatch].filter(Boolean);
    // A small tile's one line, clamped at a word: the mismatch (an alert) first, then the bare
    // revision ("Now …" left nothing but "Now…" on a 128 px tile).
    const summary = [mismatch, revisionAfter, `IMEI ${result.imei}`].filter(Boolean).join(' · ');
    return (
      <div
        className={cls(styles.body, styles.panel)}
        data-testid="flash-verdict"
        data-outcome="passed"
        title={lines.join(' · ')}
      >
        {mismatch && (
          <Line
            text={mismatch}
            className={cls(styles.clamp, styles.strong)}
            testId="flash-mismatch"
            alert
          />
        )}
        <RevisionLine revision={revisionAfter} />
        <Line
          text={`IMEI ${result.imei}`}
          className={cls(styles.line, styles.detail)}
          testId="flash-imei"
        />
        <Summary text={summary} codes={!mismatch} />
      </div>
    );
  }
  const code = result.errorCode === null ? '' : ` ${result.errorCode}`;
  const error = `${result.errorName ?? 'no error name'}${code} at ${stageLabel(result.stage)}`;
  const hint = result.operatorHint ?? 'Scan the module again to retry';
  const title = [retry, error, retry ? null : hint, ...decisions, mismatch, `IMEI ${result.imei}`]
    .filter(Boolean)
    .join(' · ');
  // A small tile's few words: the error and what to do first, the stage only in the title.
  const named = `${result.errorName ?? 'no error name'}${code}`;
  const summary = [retry, named, retry ? null : hint, ...decisions, mismatch]
    .filter(Boolean)
    .join(' · ');
  return (
    <div
      className={cls(styles.body, styles.panel)}
      data-testid="flash-verdict"
      data-outcome={result.outcome}
      title={title}
    >
      {retry && (
        <Line text={retry} className={cls(styles.line, styles.strong)} testId="flash-retry" />
      )}
      <Line text={error} className={cls(styles.line, styles.detail)} testId="flash-error" />
      {!retry && (
        <Line
          text={hint}
          className={cls(styles.clamp, styles.strong, styles.hint2)}
          testId="flash-hint"
        />
      )}
      {decisions.map((text) => (
        <Line
          key={text}
          text={text}
          className={cls(styles.clamp, styles.strong)}
          testId="flash-decision"
          alert
        />
      ))}
      {mismatch && (
        <Line
          text={mismatch}
          className={cls(styles.clamp, styles.strong)}
          testId="flash-mismatch"
          alert
        />
      )}
      <Line
        text={`IMEI ${result.imei}`}
        className={cls(styles.line, styles.detail)}
        testId="flash-imei"
      />
      <Summary text={summary} />
    </div>
  );
}

export function FlashStatus({
  view,
  onRework,
}: {
  view: TileView;
  /** A supervisor may flash a module that already passed again (after a confirm). */
  onRework?: (label: string) => void;
}) {
  switch (view.kind) {
    case 'idle':
      return (
        <div className={styles.body}>
          <Line text="Scan a module label" className={cls(styles.line, styles.hint)} />
        </div>
      );
    case 'invalid':
      return (
        <div className={styles.body} title={view.message}>
          <Line
            text={view.message}
            className={cls(styles.clamp, styles.solo, styles.problem)}
            testId="flash-message"
            alert
          />
        </div>
      );
    case 'submitting':
      return (
        <div className={styles.body}>
          <Line text={`Starting ${view.imei}…`} className={cls(styles.line, styles.hint)} />
        </div>
      );
    case 'rejected': {
      const message = `Not started: ${view.message}`;
      const scanned = /^\d{15}$/.test(view.imei) ? `IMEI ${view.imei}` : view.imei;
      const rework = view.code === 'ALREADY_PASSED' && onRework ? onRework : undefined;
      return (
        <div className={styles.body} title={`${message} · ${scanned}`}>
          <Line
            text={message}
            className={cls(styles.clamp, rework ? undefined : styles.solo, styles.problem)}
            testId="flash-message"
            alert
          />
          {rework && (
            <button
              type="button"
              className={styles.rework}
              data-testid="rework"
              onClick={() => rework(view.label ?? view.imei)}
            >
              Rework: flash again
            </button>
          )}
        </div>
      );
    }
    case 'running':
      return <Running attempt={view.attempt} />;
    case 'held': {
      const reason = view.hold.reason ?? HOLD_WORDS[view.hold.state];
      return (
        <div className={styles.body} title={reason} data-hold={view.hold.state}>
          <Line
            text={reason}
            className={cls(styles.clamp, styles.solo, styles.problem)}
            testId="slot-hold"
          />
        </div>
      );
    }
    case 'finished':
      return <Finished result={view.result} />;
  }
}
