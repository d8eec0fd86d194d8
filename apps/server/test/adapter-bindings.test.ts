// What the server records when a station reports its slots' adapters (registration at start and
// again on every unplug, re-plug or swap): the open binding per slot, closed when the slot goes
// offline, a new one for the adapter that comes, and each attempt keeping the adapter it was
// opened with. Real: the server's station store on a Postgres test database and a Redis prefix.
import type { SlotStatus, StationRegistration } from '@station/contracts';
import { attemptRepository, stationRepository } from '@station/db';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import { testImei, testRedisPrefix, type TestRedisPrefix } from '@station/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStationStore } from '../src/stations/station.store';

const STATION = 'bind-1';
let db: TestDatabase;
let keys: TestRedisPrefix;
let redis: Redis;

beforeAll(async () => {
  db = await createTestDatabase();
  keys = testRedisPrefix('bindings');
  redis = new Redis(keys.url);
}, 60_000);
afterAll(async () => {
  await redis?.quit();
  await keys?.dispose();
  await db?.drop();
});

const registration = (slot1: Partial<SlotStatus>): StationRegistration => ({
  v: 1,
  stationId: STATION,
  bootId: 'boot-1',
  hostname: 'jig-pc',
  version: '0.1.0',
  startedAt: new Date().toISOString(),
  slots: [
    {
      slot: 1,
      port: '/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0',
      adapter: 'usb-serial:FT-A',
      power: 'dtr',
      ...slot1,
    },
    { slot: 2, port: '/dev/serial/by-path/b', adapter: 'usb-serial:FT-Z', power: 'dtr' },
  ],
  packages: [
    { packageId: 'demo', digest: 'a'.repeat(64), revision: 'MC60CAR01A13', platform: 'MT6261' },
  ],
});

describe('adapter bindings from station registrations', () => {
  it('closes the binding on unplug, binds the adapter that comes, and keeps each attempt on its own adapter', async () => {
    const store = createStationStore({ prisma: db.prisma, redis, prefix: keys.prefix });
    const slot1 = async () => {
      const station = await stationRepository.findByCode(db.prisma, STATION);
      return station!.slots.find((s) => s.index === 0)!;
    };
    await store.saveRegistration(registration({}), new Date());
    const bound = await slot1();
    expect(bound.currentAdapter?.identity).toBe('usb-serial:FT-A');

    // A scan opens an attempt with the slot's current adapter (as FlashStartService does).
    const pkg = await db.prisma.firmwarePackage.findUniqueOrThrow({
      where: { digest: 'a'.repeat(64) },
    });
    const attempt = await attemptRepository.openForScan(db.prisma, {
      imei: testImei(4242),
      stationId: bound.stationId,
      slotId: bound.id,
      packageId: pkg.id,
      adapterId: bound.currentAdapter!.id,
    });

    // Unplugged: the station reports the slot offline with no adapter.
    await store.saveRegistration(registration({ adapter: null, online: false }), new Date());
    expect((await slot1()).currentAdapter).toBeNull();
    // Another adapter in the same socket (a swap).
    await store.saveRegistration(registration({ adapter: 'usb-serial:FT-B' }), new Date());
    expect((await slot1()).currentAdapter?.identity).toBe('usb-serial:FT-B');

    const history = await stationRepository.adapterHistory(db.prisma, bound.id);
    expect(history.map((b) => [b.adapter.identity, b.unboundAt === null])).toEqual([
      ['usb-serial:FT-B', true],
      ['usb-serial:FT-A', false],
    ]);
    expect(history[0]!.adapter.serialNumber).toBe('FT-B');
    // The attempt opened before the swap still names the adapter that served it.
    const stored = await db.prisma.flashAttempt.findUniqueOrThrow({
      where: { id: attempt.id },
      include: { adapter: true },
    });
    expect(stored.adapter?.identity).toBe('usb-serial:FT-A');
    // Slot 2 was never touched.
    const station = await stationRepository.findByCode(db.prisma, STATION);
    expect(station!.slots[1]!.currentAdapter?.identity).toBe('usb-serial:FT-Z');
    expect(await stationRepository.adapterHistory(db.prisma, station!.slots[1]!.id)).toHaveLength(
      1,
    );
  });
});
