// A station's control stream as the servers read it: only registrations and goodbyes signed with
// the station's own key count. Real: Redis streams (unique prefix, the station's real ACL user),
// the keyring and registry with their real stores (Postgres test database + Redis hash). The
// Postgres-outage case uses a real client pointed at a port where nothing listens.
import { createPrismaClient, stationRepository } from '@station/db';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import {
  stationControlStream,
  type StationControlMessage,
  type StationRegistration,
  type StationStatus,
} from '@station/contracts';
import { createLogger } from '@station/logger';
import { createRedis, waitUntilReady } from '@station/runtime';
import {
  deleteKeys,
  LOCAL_REDIS_URL,
  uniquePrefix,
  waitFor,
  type ProvisionedStation,
} from '@station/testkit';
import { deriveStationKeys, newStationSecret, signMessage, stationRedisUrl } from '@station/trust';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StationStreams } from '../src/flash/station-streams';
import { createStationControlHandler } from '../src/stations/station-control.handler';
import type { StationKeyring } from '../src/stations/station-keyring';
import { createStationStore } from '../src/stations/station.store';
import { StationRegistry, type StationStore } from '../src/stations/station-registry.service';
import { issueTestCredential, loadTestKeyring, silentLogger } from './helpers';

let db: TestDatabase;
let prefix: string;
let redis: Redis;
let station: ProvisionedStation;
/** The station's own connection: its ACL user, as the agent connects. */
let stationRedis: Redis;
let streams: StationStreams | undefined;
let keyring: StationKeyring;
const logLines: { msg: string; reason?: string; claimed?: string }[] = [];
const logger = createLogger({
  name: 'control-test',
  level: 'warn',
  destination: { write: (line: string) => void logLines.push(JSON.parse(line)) },
});
const cleanups: (() => Promise<unknown>)[] = [];

const registration = (bootId: string, stationId = 'ctl-1'): StationRegistration => ({
  v: 1,
  stationId,
  bootId,
  hostname: 'jig-pc-7',
  version: '0.1.0',
  startedAt: new Date().toISOString(),
  slots: [
    { slot: 1, port: '/dev/serial/by-path/a', adapter: 'usb-serial:FT1', power: 'dtr' },
    { slot: 2, port: '/dev/serial/by-path/b', adapter: 'usb-path:pci-0:2:1.0', power: 'dtr' },
  ],
});
const register = (bootId: string, stationId?: string): StationControlMessage => ({
  type: 'register',
  registration: registration(bootId, stationId),
});
const goodbye = (bootId: string): StationControlMessage => ({
  type: 'unregister',
  unregistration: { v: 1, stationId: 'ctl-1', bootId, reason: 'shutdown' },
});

/** XADD as the station would: signed with `signingKey` (its own unless a forger's). */
const send = (message: unknown, signingKey = station.signingKey, stationId = 'ctl-1') => {
  const { m, s } = signMessage(signingKey, 'control', message);
  return stationRedis.xadd(stationControlStream(prefix, stationId), '*', 'm', m, 's', s);
};

function startReading(store: StationStore): StationRegistry {
  const registry = new StationRegistry(store, logger);
  const reader = createRedis(LOCAL_REDIS_URL, logger, 'control-test-reader', { forBullMq: true });
  cleanups.push(async () => reader.disconnect());
  streams = new StationStreams({
    redis: reader,
    streamOf: (id) => stationControlStream(prefix, id),
    open: (id, signed) => keyring.open(id, 'control', signed),
    consumer: 'test',
    logger,
    handle: createStationControlHandler({
      registry,
      logger,
      retry: { firstDelayMs: 50, maxDelayMs: 200 },
    }),
    blockMs: 200,
    groupStart: '0',
    deleteHandled: true,
  });
  for (const id of keyring.stationIds()) streams.follow(id);
  streams.start();
  return registry;
}

/** The stream's entries the servers' group has not finished with (read, or not read yet). */
const unfinished = async (stationId = 'ctl-1') =>
  (await redis.xlen(stationControlStream(prefix, stationId))) as number;

beforeEach(async () => {
  logLines.length = 0;
  db = await createTestDatabase();
  prefix = uniquePrefix('control');
  redis = createRedis(LOCAL_REDIS_URL, silentLogger, 'control-test');
  await waitUntilReady(redis);
  station = await issueTestCredential(db.prisma, prefix, 'ctl-1');
  keyring = await loadTestKeyring(db.prisma, redis, prefix, logger);
  stationRedis = new Redis(
    stationRedisUrl(LOCAL_REDIS_URL, prefix, 'ctl-1', station.redisPassword),
  );
});

afterEach(async () => {
  await streams?.stop();
  streams = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
  stationRedis.disconnect();
  await deleteKeys(prefix);
  await redis.quit();
  await db.drop();
});

describe('station control stream', () => {
  it('registers, persists, and honours only the goodbye of the current boot', async () => {
    const registry = startReading(createStationStore({ prisma: db.prisma, redis, prefix }));
    const updates: StationStatus[] = [];
    registry.on('update', (s) => updates.push(s));

    await send(register('boot-1'));
    await waitFor('registration stored', async () => {
      const row = await stationRepository.findByCode(db.prisma, 'ctl-1');
      return row?.slots.length === 2 && row;
    });
    expect(registry.get('ctl-1')).toMatchObject({ connected: true, hostname: 'jig-pc-7' });
    const persisted = await stationRepository.findByCode(db.prisma, 'ctl-1');
    expect(
      persisted?.slots.map((s) => [s.label, s.powerControl, s.currentAdapter?.identity]),
    ).toEqual([
      ['slot-01', 'dtr', 'usb-serial:FT1'],
      ['slot-02', 'dtr', 'usb-path:pci-0:2:1.0'],
    ]);

    // A late goodbye from an earlier boot must not hide the running agent.
    await send(goodbye('boot-0'));
    await waitFor('old goodbye handled', async () => (await unfinished()) === 0);
    expect(registry.get('ctl-1')?.connected).toBe(true);
    await send(goodbye('boot-1'));
    await waitFor('goodbye handled', () => registry.get('ctl-1')?.connected === false);
    expect(updates.map((s) => s.connected)).toEqual([true, false]);
  });

  it('refuses forged registrations, whoever writes them and however, and changes nothing', async () => {
    const registry = startReading(createStationStore({ prisma: db.prisma, redis, prefix }));
    const forgerKey = deriveStationKeys(newStationSecret()).signingKey;
    // Straight into Redis with the servers' rights: no signature at all.
    await redis.xadd(
      stationControlStream(prefix, 'ctl-1'),
      '*',
      'm',
      JSON.stringify(register('forged-unsigned')),
    );
    // Signed, but not with ctl-1's key.
    await send(register('forged-wrong-key'), forgerKey);
    // Signed with ctl-1's key, but claiming to be another station.
    await send(register('forged-other', 'ctl-2'));
    // A malformed registration, properly signed.
    await send({ type: 'register', registration: { ...registration('bad'), slots: [] } });
    // A station that holds no credential: its stream is not even read.
    await redis.xadd(
      stationControlStream(prefix, 'ctl-x'),
      '*',
      'm',
      JSON.stringify(register('x', 'ctl-x')),
    );
    // The old shared control queue, which any client could write: nobody consumes it any more.
    const oldQueue = new Queue('station-control', { connection: redis, prefix });
    cleanups.push(() => oldQueue.close());
    await oldQueue.add('station.register', registration('old', 'ctl-old'));

    await waitFor('every ctl-1 entry handled', async () => (await unfinished()) === 0);
    expect(registry.list()).toEqual([]);
    expect(await db.prisma.station.findMany({ where: { hostname: { not: null } } })).toEqual([]);
    expect(logLines.map((l) => l.reason ?? l.claimed ?? l.msg)).toEqual([
      'no signature',
      'bad control signature',
      'ctl-2',
      'malformed control message refused',
    ]);
    // The station nobody issued a credential to is still waiting in Redis, unread.
    expect(await unfinished('ctl-x')).toBe(1);
  });

  it('shows a station during a Postgres outage and keeps its registration pending until stored', async () => {
    const deadPrisma = createPrismaClient('postgresql://postgres@127.0.0.1:1/flashstation');
    cleanups.push(() => deadPrisma.$disconnect());
    const registry = startReading(createStationStore({ prisma: deadPrisma, redis, prefix }));
    await send(register('boot-1'));
    await waitFor('station shown', () => registry.get('ctl-1')?.connected === true);
    await waitFor('a retry logged', () =>
      logLines.some((l) => l.msg === 'storing registration failed: retrying'),
    );
    // Not acknowledged: another server (or this one, restarted) would still store it.
    const pending = (await redis.xpending(stationControlStream(prefix, 'ctl-1'), 'servers')) as [
      number,
      ...unknown[],
    ];
    expect(pending[0]).toBe(1);
  });
});
