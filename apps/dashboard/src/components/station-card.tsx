import type { StationStatus } from '@station/contracts';
import { useRef, type Dispatch } from 'react';
import { createFlashJob, parseScan } from '../lib/flash-client';
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
}: {
  station: StationStatus;
  serverUrl: string;
  tiles: LineState['tiles'];
  /** Its line state arrived on this connection: every flash of it shows here. */
  following: boolean;
  dispatch: Dispatch<LineAction>;
  onUnauthenticated: () => void;
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

  const scan = async (slot: number, scanned: string) => {
    const toTile = (action: ScanAction) => dispatch({ type: 'tile', stationId, slot, action });
    const parsed = parseScan(scanned);
    if (!parsed.ok) {
      toTile({ type: 'scan-invalid', scanned, message: parsed.message });
      return;
    }
    toTile({ type: 'submit', imei: parsed.imei });
    focusNextAfter(slot);
    const result = await createFlashJob(serverUrl, { stationId, slot, imei: parsed.imei });
    if (!result.ok && result.signedOut) onUnauthenticated();
    toTile(
      result.ok
        ? { type: 'accepted', response: result.response }
        : { type: 'rejected', message: result.message },
    );
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
              inputRef={tileInput(slot.slot)}
            />
          ))}
        </div>
      )}
    </section>
  );
}
