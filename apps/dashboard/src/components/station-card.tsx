import type { StationStatus } from '@station/contracts';
import { slotState } from '../lib/station-list';
import { SlotTile } from './slot-tile';
import styles from './station-card.module.css';

/** One station: who it is, whether it is connected, and a tile per slot. */
export function StationCard({ station }: { station: StationStatus }) {
  const state = station.connected ? 'connected' : 'gone';
  return (
    <section className={styles.card} data-testid="station" data-station-id={station.stationId}>
      <header className={styles.header}>
        <h2 className={styles.name}>{station.stationId}</h2>
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
        <div className={styles.slots}>
          {station.slots.map((slot) => (
            <SlotTile key={slot.slot} slot={slot} state={slotState(station, slot)} />
          ))}
        </div>
      )}
    </section>
  );
}
