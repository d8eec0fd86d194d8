// A registry for unit tests, with no store behind it, and a two-slot station to register in it.
import type { StationRegistration } from '@station/contracts';
import { createLogger } from '@station/logger';
import { StationRegistry, type StationStore } from './station-registry.service';

const store: StationStore = { saveRegistration: async () => {}, loadStations: async () => [] };

export const fixtureLogger = createLogger({ name: 'registry-test', level: 'silent' });

export const memoryRegistry = (): StationRegistry => new StationRegistry(store, fixtureLogger);

/** Station `line-1`, boot `boot-1`, slots 1 and 2 on DTR; `offline` slots registered offline. */
export const twoSlotRegistration = (offline: number[] = []): StationRegistration => ({
  v: 1,
  stationId: 'line-1',
  bootId: 'boot-1',
  hostname: 'jig-pc',
  version: '0.1.0',
  startedAt: new Date().toISOString(),
  slots: [1, 2].map((slot) => ({
    slot,
    port: `/dev/ttyUSB${slot}`,
    adapter: null,
    power: 'dtr' as const,
    ...(offline.includes(slot) ? { online: false } : {}),
  })),
  packages: [],
});
