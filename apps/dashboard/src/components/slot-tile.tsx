import type { PowerMode, SlotStatus } from '@station/contracts';
import type { FormEvent, Ref } from 'react';
import { acceptsScan, tileView, type FlashTile } from '../lib/flash-tile';
import { portLabel } from '../lib/port-label';
import type { SlotState } from '../lib/station-list';
import type { TileDensity } from '../lib/tile-grid';
import { tileLook } from '../lib/tile-look';
import { Countdown } from './countdown';
import { FlashStatus } from './flash-status';
import styles from './slot-tile.module.css';
import { StateChip } from './state-chip';

const POWER_LABEL: Record<PowerMode, string> = {
  manual: 'Manual',
  dtr: 'DTR line',
  rts: 'RTS line',
  emulator: 'Emulator',
};

/** Why a slot cannot flash, in the words the operator needs to fix it. */
const OFFLINE_REASON: Record<Exclude<SlotState, 'online'>, string> = {
  'station-gone': 'Station not connected',
  'port-missing': 'Port missing: check this slot’s USB adapter and cable',
};

function scanPlaceholder(canScan: boolean, state: SlotState, tile: FlashTile): string {
  if (canScan) return 'Scan label here';
  if (state !== 'online') return 'Offline';
  return tile.hold ? 'Out of rotation' : 'Busy';
}

/**
 * A slot as an operator uses it from a distance: number, state (word + symbol), the flash in the
 * middle, and a scan field the barcode scanner types into (label + Enter). Its size comes from
 * the station's grid; `density` says how much of the detail fits.
 */
export function SlotTile({
  slot,
  state,
  tile,
  density,
  onScan,
  onRework,
  inputRef,
}: {
  slot: SlotStatus;
  state: SlotState;
  tile: FlashTile;
  density: TileDensity;
  onScan: (scanned: string) => void;
  /** Offered when the server answered ALREADY_PASSED and a supervisor is signed in. */
  onRework?: (label: string) => void;
  inputRef: Ref<HTMLInputElement>;
}) {
  const view = tileView(tile);
  const look = tileLook(state, view);
  const canScan = state === 'online' && acceptsScan(tile);
  // The operator's deadline sits in the scan field, which every tile size keeps: the field is
  // disabled meanwhile, and the body of a small tile has no line left under POWER-CYCLE NOW.
  const prompt = state === 'online' && view.kind === 'running' ? view.attempt.prompt : undefined;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('imei') as HTMLInputElement;
    const scanned = input.value;
    input.value = ''; // ready for the next label whatever this one was
    onScan(scanned);
  };
  const adapter = slot.adapter ?? 'unknown';
  const facts = `${slot.port} · Adapter ${adapter} · Power ${POWER_LABEL[slot.power]}`;
  return (
    <article
      className={styles.tile}
      data-testid="slot-tile"
      data-slot={slot.slot}
      data-state={look.state}
      data-density={density}
      aria-label={`Slot ${slot.slot}: ${look.word}`}
    >
      <div className={styles.top} title={facts}>
        <span className={styles.number}>{slot.slot}</span>
        <StateChip look={look} />
      </div>
      {state === 'online' ? (
        <FlashStatus view={view} onRework={onRework} />
      ) : (
        <div className={styles.offlineBody}>
          <p
            className={styles.offline}
            data-testid="slot-offline"
            data-reason={state}
            title={OFFLINE_REASON[state]}
          >
            {OFFLINE_REASON[state]}
          </p>
        </div>
      )}
      <form className={styles.scan} onSubmit={submit}>
        <input
          ref={inputRef}
          name="imei"
          className={styles.scanInput}
          data-testid="scan-input"
          aria-label={`Scan module label for slot ${slot.slot}`}
          placeholder={prompt ? '' : scanPlaceholder(canScan, state, tile)}
          autoComplete="off"
          spellCheck={false}
          disabled={!canScan}
        />
        {prompt && <Countdown until={prompt.until} className={styles.scanCountdown} />}
      </form>
      <div className={styles.facts}>
        <p className={styles.port} title={slot.port}>
          {portLabel(slot.port)}
        </p>
        <dl className={styles.factList}>
          <dt>Adapter</dt>
          <dd title={adapter}>{adapter}</dd>
          <dt>Power</dt>
          <dd>{POWER_LABEL[slot.power]}</dd>
        </dl>
      </div>
    </article>
  );
}
