// The progress relay as the runtime wires it (StationStreams on the progress stream, ProgressRelay
// as its handler) on real Postgres and Redis: the test plays the station by writing its progress
// stream, signed with its key. A station's batch entry becomes one dashboard event with its items in
// order; a read's entries are each shown in order, the slots' latest progress is kept once per
// read, a forged entry in the middle is refused without holding up the rest, a batch naming another
// station is refused whole, single-item entries (stations before batches) still show, and the stage
// reached is stored.
import {
  SERVER_CONSUMER_GROUP,
  stationProgressStream,
  type FlashProgressBatch,
  type FlashProgressEvent,
  type StationProgressBatch,
  type StationProgressMessage,
} from '@station/contracts';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import { createLogger } from '@station/logger';
import { createRedis } from '@station/runtime';
import {
  deleteKeys,
  uniqueImei,
  uniquePrefix,
  waitFor,
  type ProvisionedStation,
} from '@station/testkit';
import { deriveStationKeys, newStationSecret, signMessage } from '@station/trust';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSlotsKey, ProgressRelay } from '../src/flash/progress-relay';
import { StationStreams } from '../src/flash/station-streams';
import type { StationKeyring } from '../src/stations/station-keyring';
import { issueTestCredential, loadTestKeyring, silentLogger } from './helpers';
import { openTestAttempt, seedStationRecord } from './result-fixtures';

const STATION = 'prog-1';
let db: TestDatabase;
let redis: Redis;
let prefix: string;
let keyring: StationKeyring;
let credential: ProvisionedStation;

beforeAll(async () => {
  db = await createTestDatabase();
  redis = createRedis('redis://127.0.0.1:6379', silentLogger, 'test');
  prefix = uniquePrefix('progress');
  credential = await issueTestCredential(db.prisma, prefix, STATION);
  keyring = await loadTestKeyring(db.prisma, redis, prefix);
});

afterAll(async () => {
  await db.drop();
  redis.disconnect();
  await deleteKeys(prefix);
});

/** A server's progress reader and relay on its own blocking connection, as the runtime wires them. */
function startRelay() {
  const events: FlashProgressEvent[] = [];
  const batches: FlashProgressBatch[] = [];
  const lines: { msg: string }[] = [];
  const logger = createLogger({
    name: 'progress-test',
    level: 'warn',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  const relay = new ProgressRelay({
    prisma: db.prisma,
    redis,
    prefix,
    logger,
    emit: (batch) => {
      batches.push(batch);
      events.push(...batch.events);
    },
  });
  const connection = createRedis('redis://127.0.0.1:6379', silentLogger, 'test-progress', {
    forBullMq: true,
  });
  const streams = new StationStreams({
    redis: connection,
    streamOf: (id) => stationProgressStream(prefix, id),
    open: (id, signed) => keyring.open(id, 'progress', signed),
    consumer: `test-${Math.random()}`,
    logger,
    handle: (entry) => relay.handle(entry),
    flush: () => relay.flush(),
    readCount: 1000,
    blockMs: 200,
    claimIdleMs: 5000,
    groupStart: '$',
    deleteHandled: false,
  });
  streams.follow(STATION);
  streams.start();
  return {
    events,
    batches,
    lines,
    stop: async () => {
      await streams.stop();
      connection.disconnect();
    },
  };
}

const publish = (
  m: StationProgressMessage | StationProgressBatch,
  signingKey = credential.signingKey,
) => {
  const signed = signMessage(signingKey, 'progress', m);
  return redis.xadd(stationProgressStream(prefix, STATION), '*', 'm', signed.m, 's', signed.s);
};

describe('progress relay', () => {
  it('shows every entry of a read in order, keeps each slot latest, refuses a forged one in the middle', async () => {
    const seed = await seedStationRecord(db.prisma, STATION, 2);
    const imeis = [uniqueImei(), uniqueImei()];
    const attempt = await openTestAttempt(db.prisma, seed, 1, imeis[0]);
    const other = await openTestAttempt(db.prisma, seed, 2, imeis[1]);
    // The group starts at `$`: make it, then publish while no reader runs, so one read takes all.
    const bootstrap = startRelay();
    await waitFor('group ready', async () => {
      const groups = (await redis.xinfo('GROUPS', stationProgressStream(prefix, STATION))) as [];
      return groups.length > 0;
    });
    await bootstrap.stop();
    const progress = (slot: number, stage: 'brom' | 'da_upload', percent: number) => {
      const attemptId = slot === 1 ? attempt.id : other.id;
      return {
        v: 1 as const,
        stationId: STATION,
        attemptId,
        slot,
        imei: imeis[slot - 1]!,
        stage,
        percent,
        bytes: 0,
        totalBytes: 0,
      };
    };
    const genuine = [
      progress(1, 'brom', 0),
      progress(2, 'brom', 0),
      progress(1, 'brom', 50),
      progress(2, 'brom', 40),
      progress(1, 'da_upload', 10),
    ];
    for (const [i, m] of genuine.entries()) {
      await publish(m);
      // A forger on the line network, mid-batch: slot 1 at 100 % under a key not the station's.
      if (i === 2)
        await publish(
          progress(1, 'da_upload', 100),
          deriveStationKeys(newStationSecret()).signingKey,
        );
    }
    const { events, lines, stop } = startRelay();
    try {
      await waitFor('every genuine entry shown', () => events.length >= genuine.length);
      expect(events.map(({ slot, stage, percent }) => ({ slot, stage, percent }))).toEqual(
        genuine.map(({ slot, stage, percent }) => ({ slot, stage, percent })),
      );
      expect(lines.map((l) => l.msg)).toEqual(['refused a stream entry the station did not sign']);
      // Shown as handled; kept and acknowledged once the batch is through.
      await waitFor('the batch acknowledged', async () => {
        const [pending] = (await redis.xpending(
          stationProgressStream(prefix, STATION),
          SERVER_CONSUMER_GROUP,
        )) as [number];
        return pending === 0;
      });
      const live = await redis.hgetall(liveSlotsKey(prefix, STATION));
      expect(JSON.parse(live['1']!)).toEqual({
        attemptId: attempt.id,
        stage: 'da_upload',
        percent: 10,
      });
      expect(JSON.parse(live['2']!)).toEqual({ attemptId: other.id, stage: 'brom', percent: 40 });
      // Progress is acknowledged, not deleted: the station caps its stream itself.
      expect(await redis.xlen(stationProgressStream(prefix, STATION))).toBe(genuine.length + 1);
      await waitFor('the stage reached stored', async () => {
        const stored = await db.prisma.flashAttempt.findUniqueOrThrow({
          where: { id: attempt.id },
        });
        return stored.stageReached === 'da_upload';
      });
    } finally {
      await stop();
    }
  });
  it('shows a station batch as one event, items in order, and refuses a batch naming another station', async () => {
    const seed = await seedStationRecord(db.prisma, STATION, 4);
    const imeis = [uniqueImei(), uniqueImei()];
    const third = await openTestAttempt(db.prisma, seed, 3, imeis[0]);
    const fourth = await openTestAttempt(db.prisma, seed, 4, imeis[1]);
    const item = (
      slot: 3 | 4,
      stage: 'brom' | 'da_upload',
      percent: number,
      stationId = STATION,
    ) => ({
      v: 1 as const,
      stationId,
      attemptId: slot === 3 ? third.id : fourth.id,
      slot,
      imei: imeis[slot - 3]!,
      stage,
      percent,
      bytes: 0,
      totalBytes: 0,
    });
    const batch = (progress: ReturnType<typeof item>[]): StationProgressBatch => ({
      v: 1,
      stationId: STATION,
      progress,
    });
    const first = [
      item(3, 'brom', 0),
      item(4, 'brom', 0),
      item(3, 'brom', 60),
      item(4, 'da_upload', 5),
    ];
    const last = [item(3, 'da_upload', 20)];
    const { batches, lines, stop } = startRelay();
    try {
      await publish(batch(first));
      // Signed with this station's key, but one item names another station: none of it is shown.
      await publish(batch([item(3, 'da_upload', 100), item(4, 'da_upload', 100, 'prog-2')]));
      await publish(batch(last));
      await waitFor('both genuine batches shown', () => batches.length >= 2);
      const shown = (items: ReturnType<typeof item>[]) =>
        items.map(({ attemptId, slot, imei, stage, percent }) => ({
          v: 1,
          attemptId,
          stationId: STATION,
          slot,
          imei,
          stage,
          percent,
        }));
      expect(batches).toEqual([
        { v: 2, stationId: STATION, events: shown(first) },
        { v: 2, stationId: STATION, events: shown(last) },
      ]);
      expect(lines.map((l) => l.msg)).toEqual(['progress message refused']);
      await waitFor('the slots latest kept', async () => {
        const live = await redis.hgetall(liveSlotsKey(prefix, STATION));
        return live['3'] !== undefined && JSON.parse(live['3']).percent === 20;
      });
      const live = await redis.hgetall(liveSlotsKey(prefix, STATION));
      expect(JSON.parse(live['4']!)).toEqual({
        attemptId: fourth.id,
        stage: 'da_upload',
        percent: 5,
      });
      await waitFor('the stages reached stored', async () => {
        const stored = await db.prisma.flashAttempt.findMany({
          where: { id: { in: [third.id, fourth.id] } },
        });
        return stored.every((attempt) => attempt.stageReached === 'da_upload');
      });
    } finally {
      await stop();
    }
  });
});
