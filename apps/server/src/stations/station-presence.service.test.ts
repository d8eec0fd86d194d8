// The heartbeat poll and the registrations both say which slots are offline. A key read while a
// re-registration came in may be older than it; it must not bring an unplugged slot back online.
import { STATION_HEARTBEAT, stationHeartbeatKey } from '@station/contracts';
import { testRedisPrefix, type TestRedisPrefix } from '@station/testkit';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureLogger, memoryRegistry, twoSlotRegistration } from './registry-fixture';
import { StationPresenceMonitor } from './station-presence.service';

let redisPrefix: TestRedisPrefix;
let redis: Redis;
beforeEach(() => {
  redisPrefix = testRedisPrefix('presence');
  redis = new Redis(redisPrefix.url);
});
afterEach(async () => {
  await redis.quit();
  await redisPrefix.dispose();
});

const writeBeat = (offlineSlots: number[]) =>
  redis.set(
    stationHeartbeatKey(redisPrefix.prefix, 'line-1'),
    JSON.stringify({ v: 1, bootId: 'boot-1', active: [], unconfirmed: [], offlineSlots }),
    'PX',
    STATION_HEARTBEAT.ttlMs,
  );

describe('StationPresenceMonitor', () => {
  it('ignores a key read while a re-registration came in, and takes the next one', async () => {
    const registry = memoryRegistry();
    const monitor = new StationPresenceMonitor(redis, registry, {
      prefix: redisPrefix.prefix,
      pollMs: 60_000, // polled by hand below
      logger: fixtureLogger,
    });
    await registry.register(twoSlotRegistration());
    await writeBeat([]);
    await monitor.poll();
    const online = () => registry.get('line-1')!.slots.map((slot) => slot.online ?? true);
    expect(online()).toEqual([true, true]);

    // Slot 2's adapter is pulled: the station writes its key and re-registers. This poll's read
    // was sent before both; the registration is taken while the read is in flight.
    const polling = monitor.poll();
    await writeBeat([2]);
    await registry.register(twoSlotRegistration([2]));
    await polling;
    expect(online()).toEqual([true, false]);

    await monitor.poll();
    expect(online()).toEqual([true, false]);
    await writeBeat([]);
    await monitor.poll();
    expect(online()).toEqual([true, true]);
  });
});
