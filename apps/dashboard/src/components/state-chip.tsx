import { POWER_SYMBOL, type TileLook } from '../lib/tile-look';
import styles from './slot-tile.module.css';

/** Drawn, not typed: few fonts carry the power symbol (U+23FB). */
function PowerGlyph() {
  return (
    <svg className={styles.glyph} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 3v9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" fill="none" />
      <path
        d="M6.3 7.2a8 8 0 1 0 11.4 0"
        stroke="currentColor"
        strokeWidth="3"
        strokeLinecap="round"
        fill="none"
      />
    </svg>
  );
}

/**
 * The tile's state as a word and a symbol: readable without colour. Announced when it changes; the
 * symbol is decoration for screen readers (the word says it).
 */
export function StateChip({ look }: { look: TileLook }) {
  return (
    <span
      className={styles.state}
      data-testid="tile-state"
      data-symbol={look.symbol}
      role="status"
      aria-live="polite"
      title={look.word}
    >
      <span className={styles.word}>{look.word}</span>{' '}
      <span className={styles.symbol} aria-hidden="true">
        {look.symbol === POWER_SYMBOL ? <PowerGlyph /> : look.symbol}
      </span>
    </span>
  );
}
