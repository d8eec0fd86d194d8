import type { StationRegistration } from '@station/contracts';
import { createLogger } from '@station/logger';
import { describe, expect, it } from 'vitest';
import { slotPresence } from './slot-presence';
import { StationRegistry, type StationStore } from './station-registry.service';

const store: StationStore = { saveRegistration: async () => {}, loadStations: async () => [] };
const logger = createLogger({ name: 'registry-test', level: 'silent' });

const registration: StationRegistration = {
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
  })),
  packages: [],
};

const online = (registry: StationRegistry) =>
  registry.get('line-1')!.slots.map((slot) => slot.online);

describe('StationRegistry: a station that is gone takes its slots with it', () => {
  it('marks every slot offline on disconnect and brings them back on reconnect', async () => {
    const registry = new StationRegistry(store, logger);
    await registry.register(registration);
    registry.setOfflineSlots('line-1', [2]);
    expect(online(registry)).toEqual([undefined, false]);
    registry.setConnected('line-1', false);
    expect(online(registry)).toEqual([false, false]);
    registry.setConnected('line-1', true);
    expect(online(registry)).toEqual([true, true]);
    // The heartbeat of the same poll then says which ports are still missing.
    registry.setOfflineSlots('line-1', [2]);
    expect(online(registry)).toEqual([true, false]);
  });
});

describe('slotPresence', () => {
  it('is offline with the reason while the station is gone or the port missing', () => {
    expect(slotPresence({ stationId: 'line-1', connected: false }, true)).toEqual({
      status: 'offline',
      statusReason: 'station line-1 is not connected (no heartbeat)',
    });
    expect(slotPresence({ stationId: 'line-1', connected: true }, false)).toEqual({
      status: 'offline',
      statusReason: "the slot's adapter is missing",
    });
    expect(slotPresence({ stationId: 'line-1', connected: true }, undefined)).toEqual({
      status: 'active',
      statusReason: null,
    });
  });
});
