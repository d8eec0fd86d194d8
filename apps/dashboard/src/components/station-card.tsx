import type { StationStatus } from '@station/contracts';
import { useEffect, useRef, type Dispatch } from 'react';
import { createFlashJob, parseScan, reworkQuestion } from '../lib/flash-client';
import type { ScanAction } from '../lib/flash-tile';
import { tileOf, type LineAction, type LineState } from '../lib/line-state';
import { slotState } from '../lib/station-list';
import { TILE_GAP_PX } from '../lib/tile-grid';
import { useTileGrid } from '../lib/use-tile-grid';
import { SlotTile } from './slot-tile';
import styles from './station-card.module.css';

/** One station: who it is, whether it is connected, and a tile per slot. */
export function StationCard({
  station,
  serverUrl,
  tiles,
  following,
  dispatch,
  onUnauthenticated,
  canRework = false,
}: {
  station: StationStatus;
  serverUrl: string;
  tiles: LineState['tiles'];
  /** Its line state arrived on this connection: every flash of it shows here. */
  following: boolean;
  dispatch: Dispatch<LineAction>;
  onUnauthenticated: () => void;
  /** A supervisor or above is signed in: a module that already passed may be flashed again. */
  canRework?: boolean;
}) {
  const { stationId } = station;
  const state = station.connected ? 'connected' : 'gone';
  const inputs = useRef(new Map<number, HTMLInputElement>());
  const slotsBox = useRef<HTMLDivElement>(null);
  const grid = useTileGrid(slotsBox, station.slots.length);

  /** The operator scans modules in slot order: after a scan, the next free slot takes the next. */
  const focusNextAfter = (slot: number) => {
    const order = station.slots.map((s) => s.slot).sort((a, b) => a - b);
    const at = order.indexOf(slot);
    for (let step = 1; step < order.length; step += 1) {
      const input = inputs.current.get(order[(at + step) % order.length] ?? slot);
      if (input && !input.disabled) {
        input.focus();
        return;
      }
    }
  };

  /** The label as scanned goes to the server, which reads it; `rework`: a supervisor's override. */
  const scan = async (slot: number, scanned: string, rework = false) => {
    const toTile = (action: ScanAction) => dispatch({ type: 'tile', stationId, slot, action });
    const parsed = parseScan(scanned);
    if (!parsed.ok) {
      toTile({ type: 'scan-invalid', scanned, message: parsed.message });
      return;
    }
    toTile({ type: 'submit', imei: parsed.shown, label: parsed.label });
    if (!rework) focusNextAfter(slot);
    const result = await createFlashJob(serverUrl, {
      stationId,
      slot,
      label: parsed.label,
      ...(rework ? { rework: true } : {}),
    });
    if (!result.ok && result.signedOut) onUnauthenticated();
    if (!result.ok) refocusAfterRender.current = slot;
    toTile(
      result.ok
        ? { type: 'accepted', response: result.response }
        : { type: 'rejected', message: result.message, code: result.code },
    );
  };

  /**
   * A refused scan: the operator scans that slot again (a fixed label, another module), so its
   * field takes the focus back, unless the operator has started typing elsewhere meanwhile.
   */
  const refocusAfterRender = useRef<number | null>(null);
  useEffect(() => {
    const slot = refocusAfterRender.current;
    const input = slot === null ? undefined : inputs.current.get(slot);
    // Its field is disabled while the scan is sent: focus once the refusal has enabled it.
    if (!input || input.disabled) return;
    refocusAfterRender.current = null;
    const active = document.activeElement;
    if (active instanceof HTMLInputElement && active.value !== '') return;
    input.focus();
  }, [tiles]);

  /** ALREADY_PASSED, and a supervisor is signed in: flash it again once they confirm. */
  const rework = (slot: number, label: string) => {
    if (window.confirm(reworkQuestion(label, slot))) void scan(slot, label, true);
  };

  const tileInput = (slot: number) => (input: HTMLInputElement | null) => {
    if (input) inputs.current.set(slot, input);
    else inputs.current.delete(slot);
  };

  return (
    <section
      className={styles.card}
      data-testid="station"
      data-station-id={stationId}
      data-following={following}
    >
      <header className={styles.header}>
        <h2 className={styles.name}>{stationId}</h2>
        <span className={styles.connection} data-testid="station-connection" data-state={state}>
          {station.connected ? 'Connected' : 'Gone'}
        </span>
        <span className={styles.meta}>
          {station.hostname} · v{station.version} · last seen{' '}
          {new Date(station.lastSeenAt).toLocaleTimeString()}
        </span>
      </header>
      {station.slots.length === 0 ? (
        <p className={styles.meta}>This station reported no slots.</p>
      ) : (
        <div
          ref={slotsBox}
          className={styles.slots}
          data-testid="slot-grid"
          data-columns={grid.columns}
          data-density={grid.density}
          style={{
            gap: TILE_GAP_PX,
            gridTemplateColumns: `repeat(${grid.columns}, minmax(0, 1fr))`,
            gridTemplateRows: `repeat(${grid.rows}, minmax(var(--tile-min-height), 1fr))`,
          }}
        >
          {station.slots.map((slot) => (
            <SlotTile
              key={slot.slot}
              slot={slot}
              state={slotState(station, slot)}
              tile={tileOf({ tiles }, stationId, slot.slot)}
              density={grid.density}
              onScan={(scanned) => void scan(slot.slot, scanned)}
              onRework={canRework ? (label) => rework(slot.slot, label) : undefined}
              inputRef={tileInput(slot.slot)}
            />
          ))}
        </div>
      )}
    </section>
  );
}
