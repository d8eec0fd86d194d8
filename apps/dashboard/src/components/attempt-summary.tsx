import type { AttemptDetail } from '@station/contracts';
import { errorText, formatDuration, formatTime, outcomeText } from '../lib/attempt-format';
import styles from './explorer.module.css';

/** Who, where, what and how it ended: the attempt's facts, then its error and hints if any. */
export function AttemptSummary({ attempt }: { attempt: AttemptDetail }) {
  const facts: [string, string, string?][] = [
    ['IMEI', attempt.imei, 'attempt-imei'],
    ['Station / slot', `${attempt.station} / ${attempt.slot}`],
    ['Package', `${attempt.packageName} (${attempt.packageRevision})`],
    ['Started by', attempt.operator ?? '— (an API key or a script)', 'attempt-operator'],
    ['Started', formatTime(attempt.startedAt)],
    ['Ended', formatTime(attempt.endedAt)],
    ['Duration', formatDuration(attempt.durationMs)],
    ['Stage reached', attempt.stageReached, 'attempt-stage'],
    ['Baud', attempt.baud === null ? '—' : String(attempt.baud)],
    ['Bytes written', attempt.bytesWritten === null ? '—' : String(attempt.bytesWritten)],
    ['Revision', `${attempt.revisionBefore ?? '—'} → ${attempt.revisionAfter ?? '—'}`],
    ['Module reported IMEI', attempt.reportedImei ?? '—'],
    [
      'Label as scanned',
      attempt.labelRaw === null
        ? '—'
        : `${attempt.labelRaw}${attempt.labelFormat ? ` (format ${attempt.labelFormat})` : ''}`,
      'attempt-label',
    ],
  ];
  return (
    <section className={styles.panel}>
      <p className={styles[attempt.outcome]} data-testid="attempt-outcome">
        {outcomeText(attempt.outcome)}
      </p>
      {attempt.errorCode !== null || attempt.errorName !== null ? (
        <div data-testid="attempt-error">
          <p className={styles.failed} data-testid="attempt-error-code">
            {errorText(attempt.errorCode, attempt.errorName)}
          </p>
          {attempt.errorMessage && (
            <p data-testid="attempt-error-message">{attempt.errorMessage}</p>
          )}
        </div>
      ) : null}
      {attempt.operatorHint && (
        <p data-testid="attempt-operator-hint">
          <strong>Operator hint:</strong> {attempt.operatorHint}
        </p>
      )}
      {attempt.engineerHint && (
        <p data-testid="attempt-engineer-hint">
          <strong>Engineer hint:</strong> {attempt.engineerHint}
        </p>
      )}
      <dl className={styles.facts}>
        {facts.map(([term, value, testId]) => (
          <div key={term} style={{ display: 'contents' }}>
            <dt>{term}</dt>
            <dd data-testid={testId}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
