import type { StationStatus } from '@station/contracts';
import { tileView } from '../lib/flash-tile';
import { tileOf, type LineState } from '../lib/line-state';
import { slotState } from '../lib/station-list';
import { tileLook } from '../lib/tile-look';
import styles from './yield.module.css';

/**
 * Every station and slot live, compact: the line view's own state and looks (word and symbol per
 * slot), one row per station, for a supervisor who only glances at it.
 */
export function LineStrip({
  stations,
  tiles,
}: {
  stations: readonly StationStatus[];
  tiles: LineState['tiles'];
}) {
  if (stations.length === 0) {
    return (
      <section className={styles.panel} data-testid="line-strip">
        <p className={styles.muted}>No station has reported to the server yet.</p>
      </section>
    );
  }
  return (
    <section className={`${styles.panel} ${styles.strip}`} data-testid="line-strip">
      {stations.map((station) => (
        <div
          key={station.stationId}
          className={styles.stripStation}
          data-testid="strip-station"
          data-station-id={station.stationId}
        >
          <span className={styles.stripName}>
            {station.stationId}{' '}
            <span
              data-state={station.connected ? 'connected' : 'gone'}
              className={styles.stripLink}
            >
              {station.connected ? 'connected' : 'gone'}
            </span>
          </span>
          <span className={styles.stripSlots}>
            {station.slots.map((slot) => {
              const look = tileLook(
                slotState(station, slot),
                tileView(tileOf({ tiles }, station.stationId, slot.slot)),
              );
              return (
                <span
                  key={slot.slot}
                  className={styles.stripSlot}
                  data-testid="strip-slot"
                  data-slot={slot.slot}
                  data-state={look.state}
                  title={`Slot ${slot.slot}: ${look.word}`}
                >
                  {slot.slot} <span aria-hidden="true">{look.symbol}</span> {look.word}
                </span>
              );
            })}
          </span>
        </div>
      ))}
    </section>
  );
}
