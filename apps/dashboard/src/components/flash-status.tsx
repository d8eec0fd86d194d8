import type { FlashTile } from '../lib/flash-tile';
import { stageLabel } from '../lib/stage-label';
import styles from './flash-status.module.css';

/** The tile's big middle: what the operator must read from a few metres away. */
export function FlashStatus({ tile }: { tile: FlashTile }) {
  switch (tile.kind) {
    case 'idle':
      return <p className={styles.hint}>Scan a module label</p>;
    case 'invalid':
      return (
        <p className={styles.problem} data-testid="flash-message" role="alert">
          {tile.message}
        </p>
      );
    case 'submitting':
      return <p className={styles.hint}>Starting {tile.imei}…</p>;
    case 'rejected':
      return (
        <div>
          <p className={styles.problem} data-testid="flash-message" role="alert">
            Not started: {tile.message}
          </p>
          <p className={styles.detail}>IMEI {tile.imei}</p>
        </div>
      );
    case 'running':
      return tile.stage === null ? (
        <p className={styles.hint} data-testid="flash-stage">
          Waiting for the station…
        </p>
      ) : (
        <div>
          <p className={styles.stage} data-testid="flash-stage" data-stage={tile.stage}>
            {stageLabel(tile.stage)}
          </p>
          <p className={styles.percent} data-testid="flash-percent">
            {Math.floor(tile.percent)} %
          </p>
          <p className={styles.detail}>IMEI {tile.imei}</p>
        </div>
      );
    case 'finished': {
      const { result } = tile;
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
          <p className={styles.detail}>IMEI {result.imei}</p>
        </div>
      );
    }
  }
}
