import type { FlashResultEvent } from '@station/contracts';
import type { TileView } from '../lib/flash-tile';
import { stageLabel } from '../lib/stage-label';
import styles from './flash-status.module.css';

/** Label and module disagree: the operator must see both numbers to sort the modules out. */
function Mismatch({ result }: { result: FlashResultEvent }) {
  if (result.reportedImei === null || result.reportedImei === result.imei) return null;
  return (
    <p className={styles.mismatch} data-testid="flash-mismatch" role="alert">
      Label and module do not match: the label says {result.imei}, the module reports{' '}
      {result.reportedImei}
    </p>
  );
}

/** The tile's big middle: what the operator must read from a few metres away. */
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
      return <p className={styles.hint}>Scan a module label</p>;
    case 'invalid':
      return (
        <p className={styles.problem} data-testid="flash-message" role="alert">
          {view.message}
        </p>
      );
    case 'submitting':
      return <p className={styles.hint}>Starting {view.imei}…</p>;
    case 'rejected': {
      const rework = view.code === 'ALREADY_PASSED' && onRework ? onRework : undefined;
      return (
        <div>
          <p className={styles.problem} data-testid="flash-message" role="alert">
            Not started: {view.message}
          </p>
          <p className={styles.detail}>
            {/^\d{15}$/.test(view.imei) ? `IMEI ${view.imei}` : view.imei}
          </p>
          {rework && (
            <button
              type="button"
              data-testid="rework"
              onClick={() => rework(view.label ?? view.imei)}
            >
              Rework: flash again
            </button>
          )}
        </div>
      );
    }
    case 'running': {
      const { attempt } = view;
      return (
        <div>
          <p className={styles.stage} data-testid="flash-stage" data-stage={attempt.stage}>
            {stageLabel(attempt.stage)}
          </p>
          {attempt.percent !== null && (
            <p className={styles.percent} data-testid="flash-percent">
              {Math.floor(attempt.percent)} %
            </p>
          )}
          <p className={styles.detail} data-testid="flash-imei">
            IMEI {attempt.imei}
          </p>
        </div>
      );
    }
    case 'finished': {
      const { result } = view;
      if (result.outcome === 'passed') {
        return (
          <div className={styles.pass} data-testid="flash-verdict" data-outcome="passed">
            <p className={styles.verdict}>PASS</p>
            <p className={styles.detail} data-testid="flash-imei">
              IMEI {result.imei}
            </p>
            <p className={styles.detail} data-testid="flash-revision">
              Now {result.revisionAfter ?? 'revision unknown'}
            </p>
            <Mismatch result={result} />
          </div>
        );
      }
      const code = result.errorCode === null ? '' : ` ${result.errorCode}`;
      return (
        <div className={styles.fail} data-testid="flash-verdict" data-outcome={result.outcome}>
          <p className={styles.verdict}>{result.outcome === 'failed' ? 'FAIL' : 'INTERRUPTED'}</p>
          <p className={styles.detail} data-testid="flash-error">
            {result.errorName ?? 'no error name'}
            {code} at {stageLabel(result.stage)}
          </p>
          <p className={styles.instruction} data-testid="flash-hint">
            {result.operatorHint ?? 'Scan the module again to retry'}
          </p>
          <Mismatch result={result} />
          <p className={styles.detail} data-testid="flash-imei">
            IMEI {result.imei}
          </p>
        </div>
      );
    }
  }
}
