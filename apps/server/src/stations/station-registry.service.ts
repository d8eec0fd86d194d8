import { EventEmitter } from 'node:events';
import type { StationRegistration, StationStatus, StationUnregistration } from '@station/contracts';
import type { Logger } from '@station/logger';

/** Where registrations are kept across server restarts (Postgres in production). */
export interface StationStore {
  saveRegistration(registration: StationRegistration, seenAt: Date): Promise<void>;
  /** Every station ever registered, as last registered; `connected` is decided by presence. */
  loadStations(): Promise<Omit<StationStatus, 'connected'>[]>;
}

interface Entry {
  status: StationStatus;
  /** Boot of the agent we last heard registering; null for stations loaded from the store. */
  bootId: string | null;
}

export interface StationRegistryEvents {
  update: [station: StationStatus];
}

/**
 * The server's live view of stations: persisted registration plus connected state. It changes
 * only through registration messages (control queue) and presence (heartbeat poll), and announces
 * each change of a station as an `update` event.
 */
export class StationRegistry extends EventEmitter<StationRegistryEvents> {
  private readonly stations = new Map<string, Entry>();
  /** The latest registration's write to the store, per station (settled either way). */
  private readonly saving = new Map<string, Promise<void>>();
  /** Registrations taken so far, per station: a heartbeat read before the latest one is stale. */
  private readonly registrations = new Map<string, number>();

  constructor(
    private readonly store: StationStore,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  /** Loads known stations, all disconnected until their heartbeat is seen. */
  async load(): Promise<void> {
    for (const station of await this.store.loadStations()) {
      this.stations.set(station.stationId, {
        status: { ...station, connected: false, slots: withOnline(station.slots, false) },
        bootId: null,
      });
    }
  }

  list(): StationStatus[] {
    return [...this.stations.values()]
      .map((entry) => entry.status)
      .sort((a, b) => a.stationId.localeCompare(b.stationId));
  }

  get(stationId: string): StationStatus | undefined {
    return this.stations.get(stationId)?.status;
  }

  stationIds(): string[] {
    return [...this.stations.keys()];
  }

  /**
   * Shows the station at once, then persists it. If persisting fails (Postgres down) the error
   * reaches the control job, which BullMQ retries; the dashboard is not kept waiting meanwhile.
   */
  async register(registration: StationRegistration): Promise<void> {
    const seenAt = this.now();
    const { stationId, hostname, version, slots, bootId, packages = [] } = registration;
    this.registrations.set(stationId, this.registrationCount(stationId) + 1);
    this.set(stationId, bootId, {
      stationId,
      hostname,
      version,
      slots,
      packages,
      connected: true,
      lastSeenAt: seenAt.toISOString(),
    });
    this.logger.info({ stationId, bootId, slots: slots.length }, 'station registered');
    const save = this.store.saveRegistration(registration, seenAt);
    this.saving.set(
      stationId,
      save.then(
        () => undefined,
        () => undefined,
      ),
    );
    await save;
  }

  /**
   * How many registrations of the station this server has taken. The heartbeat poll notes it
   * before reading a station's key: if a registration came in while the read was in flight, the
   * key it read may predate that registration's slots (docs/station.md "Hot-plug").
   */
  registrationCount(stationId: string): number {
    return this.registrations.get(stationId) ?? 0;
  }

  /**
   * Resolves once the station's latest registration has been written to the store (or failed
   * to be): a scan that arrives while a station is registering waits for it instead of failing.
   */
  whenStored(stationId: string): Promise<void> {
    return this.saving.get(stationId) ?? Promise.resolve();
  }

  /** A goodbye from an agent; ignored when it comes from an older boot than the registered one. */
  unregister(message: StationUnregistration): void {
    const entry = this.stations.get(message.stationId);
    if (!entry || (entry.bootId !== null && entry.bootId !== message.bootId)) return;
    this.setConnected(message.stationId, false);
    this.logger.info({ stationId: message.stationId, reason: message.reason }, 'station left');
  }

  /** Presence verdict from the heartbeat poll. */
  setConnected(stationId: string, connected: boolean): void {
    const entry = this.stations.get(stationId);
    if (!entry) return;
    const lastSeenAt = connected ? this.now().toISOString() : entry.status.lastSeenAt;
    if (entry.status.connected === connected) {
      entry.status = { ...entry.status, lastSeenAt };
      return;
    }
    // A station that is gone takes its slots with it; one that is back brings them back, and
    // its heartbeat (read in the same poll) says which of their ports are missing.
    const slots = withOnline(entry.status.slots, connected);
    this.set(stationId, entry.bootId, { ...entry.status, connected, lastSeenAt, slots });
    if (!connected) this.logger.warn({ stationId }, 'station disconnected');
  }

  /** Slots whose port the station reports missing; an update goes out only on a change. */
  setOfflineSlots(stationId: string, offline: readonly number[]): void {
    const entry = this.stations.get(stationId);
    if (!entry) return;
    let changed = false;
    const slots = entry.status.slots.map((slot) => {
      const online = !offline.includes(slot.slot);
      if ((slot.online ?? true) === online) return slot;
      changed = true;
      return { ...slot, online };
    });
    if (!changed) return;
    this.logger.warn({ stationId, offline }, 'station reports offline slots');
    this.set(stationId, entry.bootId, { ...entry.status, slots });
  }

  private set(stationId: string, bootId: string | null, status: StationStatus): void {
    this.stations.set(stationId, { status, bootId });
    this.emit('update', status);
  }
}

const withOnline = (slots: StationStatus['slots'], online: boolean): StationStatus['slots'] =>
  slots.map((slot) => ({ ...slot, online }));
