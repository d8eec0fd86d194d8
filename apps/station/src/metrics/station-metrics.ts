// The station agent's metrics (docs/operations.md "Metrics"): its slots by state, flashes in
// progress and results the server has not confirmed, read from the journal and the port watch at
// scrape time; serial bytes written per slot, counted as they go; Node's own (event-loop lag).
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** A slot's state on this station: its adapter missing, an attempt open on it, or neither. */
export const STATION_SLOT_STATES = ['offline', 'flashing', 'idle'] as const;

export interface StationMetricSources {
  stationId: string;
  /** The station's slot numbers. */
  slots: readonly number[];
  /** Slots whose adapter is missing now (PortWatch). */
  offlineSlots: () => readonly number[];
  /** Slots of the attempts open in the journal. */
  openSlots: () => readonly number[];
  /** Results journaled and not yet confirmed stored by the server. */
  unconfirmedCount: () => number;
  /** Each real slot's FTDI latency timer as read (or set) at start; absent for other adapters. */
  latencyTimersMs?: ReadonlyMap<number, number>;
}

export interface StationMetrics {
  registry: Registry;
  /** Counts bytes handed to a slot's adapter (SerialTransport's onWritten). */
  serialWritten(slot: number, bytes: number): void;
}

export function createStationMetrics(sources: StationMetricSources): StationMetrics {
  const registry = new Registry();
  // Every series names its station: one Prometheus job scrapes every station PC.
  registry.setDefaultLabels({ station: sources.stationId });
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'flashstation_station_slots',
    help: 'Slots of this station by state: offline (adapter missing), flashing, idle.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const offline = new Set(sources.offlineSlots());
      const open = new Set(sources.openSlots());
      const stateOf = (slot: number) =>
        offline.has(slot) ? 'offline' : open.has(slot) ? 'flashing' : 'idle';
      for (const state of STATION_SLOT_STATES)
        this.set({ state }, sources.slots.filter((slot) => stateOf(slot) === state).length);
    },
  });
  new Gauge({
    name: 'flashstation_station_flashes_in_progress',
    help: 'Attempts open in the journal (started, no result yet).',
    registers: [registry],
    collect() {
      this.set(sources.openSlots().length);
    },
  });
  new Gauge({
    name: 'flashstation_station_results_unconfirmed',
    help: 'Results in the journal the server has not yet confirmed stored.',
    registers: [registry],
    collect() {
      this.set(sources.unconfirmedCount());
    },
  });
  const written = new Counter({
    name: 'flashstation_station_serial_bytes_written_total',
    help: "Bytes written to each slot's serial adapter; rate() gives bytes per second.",
    labelNames: ['slot'],
    registers: [registry],
  });
  const latency = new Gauge({
    name: 'flashstation_station_serial_latency_timer_ms',
    help: "Each real slot's FTDI adapter latency timer at start (1 wanted; 16 is the slow default).",
    labelNames: ['slot'],
    registers: [registry],
  });
  for (const [slot, ms] of sources.latencyTimersMs ?? []) latency.set({ slot: String(slot) }, ms);
  // Every slot from the start, so rate() has a zero to begin from.
  for (const slot of sources.slots) written.inc({ slot: String(slot) }, 0);
  return {
    registry,
    serialWritten: (slot, bytes) => written.inc({ slot: String(slot) }, bytes),
  };
}
