import type { PowerMode, SlotStatus } from '@station/contracts';
import type { FormEvent, Ref } from 'react';
import { acceptsScan, tileView, type FlashTile, type TileView } from '../lib/flash-tile';
import { portLabel } from '../lib/port-label';
import type { SlotState } from '../lib/station-list';
import { FlashStatus } from './flash-status';
import styles from './slot-tile.module.css';

const POWER_LABEL: Record<PowerMode, string> = {
  manual: 'Manual',
  dtr: 'DTR line',
  rts: 'RTS line',
  emulator: 'Emulator',
};

const OUTCOME_STATE = { passed: 'passed', failed: 'failed', interrupted: 'interrupted' } as const;

/** Why a slot cannot flash, in the words the operator needs to fix it. */
const OFFLINE_REASON: Record<Exclude<SlotState, 'online'>, string> = {
  'station-gone': 'Station not connected',
  'port-missing': 'Port missing: check this slot’s USB adapter and cable',
};

/** One word for the tile's corner and its data-state; colour always comes with it. */
function tileState(state: SlotState, view: TileView): { state: string; word: string } {
  if (state !== 'online') return { state: 'offline', word: 'OFFLINE' };
  switch (view.kind) {
    case 'idle':
      return { state: 'idle', word: 'IDLE' };
    case 'invalid':
      return { state: 'invalid', word: 'BAD LABEL' };
    case 'submitting':
      return { state: 'starting', word: 'STARTING' };
    case 'rejected':
      return { state: 'rejected', word: 'NOT STARTED' };
    case 'running':
      return { state: 'running', word: 'FLASHING' };
    case 'finished':
      return { state: OUTCOME_STATE[view.result.outcome], word: 'DONE' };
  }
}

/**
 * A slot as an operator uses it from a distance: big number, big state, the flash in the middle,
 * and a scan field the barcode scanner types into (label + Enter).
 */
export function SlotTile({
  slot,
  state,
  tile,
  onScan,
  onRework,
  inputRef,
}: {
  slot: SlotStatus;
  state: SlotState;
  tile: FlashTile;
  onScan: (scanned: string) => void;
  /** Offered when the server answered ALREADY_PASSED and a supervisor is signed in. */
  onRework?: (label: string) => void;
  inputRef: Ref<HTMLInputElement>;
}) {
  const view = tileView(tile);
  const shown = tileState(state, view);
  const canScan = state === 'online' && acceptsScan(tile);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('imei') as HTMLInputElement;
    const scanned = input.value;
    input.value = ''; // ready for the next label whatever this one was
    onScan(scanned);
  };
  return (
    <article
      className={styles.tile}
      data-testid="slot-tile"
      data-slot={slot.slot}
      data-state={shown.state}
    >
      <div className={styles.top}>
        <span className={styles.number}>{slot.slot}</span>
        <span className={styles.state}>{shown.word}</span>
      </div>
      {state === 'online' ? (
        <FlashStatus view={view} onRework={onRework} />
      ) : (
        <p className={styles.offline} data-testid="slot-offline" data-reason={state}>
          {OFFLINE_REASON[state]}
        </p>
      )}
      <form className={styles.scan} onSubmit={submit}>
        <input
          ref={inputRef}
          name="imei"
          className={styles.scanInput}
          data-testid="scan-input"
          aria-label={`Scan module label for slot ${slot.slot}`}
          placeholder={canScan ? 'Scan label here' : state === 'online' ? 'Busy' : 'Offline'}
          autoComplete="off"
          spellCheck={false}
          disabled={!canScan}
        />
      </form>
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
