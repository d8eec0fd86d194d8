import { describe, expect, it } from 'vitest';
import { memoryRegistry, twoSlotRegistration } from './registry-fixture';
import { slotPresence } from './slot-presence';
import type { StationRegistry } from './station-registry.service';

const registration = twoSlotRegistration();

const online = (registry: StationRegistry) =>
  registry.get('line-1')!.slots.map((slot) => slot.online);

describe('StationRegistry: a station that is gone takes its slots with it', () => {
  it('marks every slot offline on disconnect and brings them back on reconnect', async () => {
    const registry = memoryRegistry();
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
