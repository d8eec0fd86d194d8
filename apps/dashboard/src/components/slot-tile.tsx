import type { PowerMode, SlotStatus } from '@station/contracts';
import { portLabel } from '../lib/port-label';
import type { SlotState } from '../lib/station-list';
import styles from './slot-tile.module.css';

const POWER_LABEL: Record<PowerMode, string> = {
  manual: 'Manual',
  dtr: 'DTR line',
  rts: 'RTS line',
  emulator: 'Emulator',
};

/** A slot as an operator reads it from a distance: big number, big state, wiring underneath. */
export function SlotTile({ slot, state }: { slot: SlotStatus; state: SlotState }) {
  return (
    <article
      className={styles.tile}
      data-testid="slot-tile"
      data-slot={slot.slot}
      data-state={state}
    >
      <div className={styles.top}>
        <span className={styles.number}>{slot.slot}</span>
        <span className={styles.state}>{state.toUpperCase()}</span>
      </div>
      <p className={styles.port} title={slot.port}>
        {portLabel(slot.port)}
      </p>
      <dl className={styles.facts}>
        <dt>Adapter</dt>
        <dd>{slot.adapter ?? 'unknown'}</dd>
        <dt>Power</dt>
        <dd>{POWER_LABEL[slot.power]}</dd>
      </dl>
    </article>
  );
}
