// The durable result path on real Postgres (own database) and real Redis (own prefix): the test
// plays the station by writing its results stream, signed with its key, as the agent's outbox
// does. Results are stored once, confirmed (signed) only after the commit, held through a real
// Postgres outage, refused when they claim an attempt issued elsewhere or are not signed by the
// station, and taken over from a server that died holding them. (What the server decides about a
// stored failure, retries and attribution, is result-judgement.test.ts's subject.)
import {
  SERVER_CONSUMER_GROUP,
  stationConfirmedKey,
  stationResultsStream,
  type FlashResultEvent,
  type StationResultMessage,
} from '@station/contracts';
import {
  attemptRepository,
  createPrismaClient,
  DEFAULT_ATTRIBUTION_THRESHOLDS,
  stationRepository,
  type PrismaClient,
} from '@station/db';
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
import {
  deriveStationKeys,
  newStationSecret,
  openMessage,
  signMessage,
  type SignedMessage,
} from '@station/trust';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueueFlashJob } from '../src/flash/enqueue-flash-job';
import { FlashQueues } from '../src/flash/flash-queues';
import { FlashResultRecorder } from '../src/flash/result-recorder';
import { StationStreams } from '../src/flash/station-streams';
import type { StationKeyring } from '../src/stations/station-keyring';
import { issueTestCredential, loadTestKeyring, silentLogger } from './helpers';
import {
  openTestAttempt,
  passedResultMessage,
  seedStationRecord,
  type SeededStation,
} from './result-fixtures';

const STATION = 'res-1';
let db: TestDatabase;
let admin: PrismaClient;
let redis: Redis;
let prefix: string;
let seed: SeededStation;
let keyring: StationKeyring;
/** The server's producer side of the stations' queues, on its own connection. */
let queues: FlashQueues;
let producer: Redis;
const credentials: Record<string, ProvisionedStation> = {};
const stops: (() => Promise<unknown>)[] = [];

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger({
    name: 'results-test',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

/** A server's result reader on its own blocking connection, as the runtime wires it. */
function startReader(
  options: {
    prisma?: PrismaClient;
    consumer?: string;
    logger?: typeof silentLogger;
    claimIdleMs?: number;
  } = {},
) {
  const events: FlashResultEvent[] = [];
  const recorder = new FlashResultRecorder({
    prisma: options.prisma ?? db.prisma,
    redis,
    prefix,
    logger: options.logger ?? silentLogger,
    sign: (stationId, confirmation) => keyring.sign(stationId, 'confirm', confirmation),
    emit: (event) => events.push(event),
    retry: { firstDelayMs: 50, maxDelayMs: 200 },
    judgement: {
      retry: { powerMax: 2, baudFloor: 115200 },
      thresholds: DEFAULT_ATTRIBUTION_THRESHOLDS,
    },
    enqueue: (payload) =>
      enqueueFlashJob({ prisma: db.prisma, queues, keyring, logger: silentLogger }, payload),
  });
  const connection = createRedis('redis://127.0.0.1:6379', silentLogger, 'test-results', {
    forBullMq: true,
  });
  const streams = new StationStreams({
    redis: connection,
    streamOf: (id) => stationResultsStream(prefix, id),
    open: (id, signed) => keyring.open(id, 'result', signed),
    consumer: options.consumer ?? `test-${Math.random()}`,
    logger: options.logger ?? silentLogger,
    handle: (entry, signal) => recorder.handle(entry, signal),
    blockMs: 200,
    claimIdleMs: options.claimIdleMs,
    groupStart: '0',
    deleteHandled: true,
  });
  streams.follow(STATION);
  streams.start();
  stops.push(async () => {
    await streams.stop();
    connection.disconnect();
  });
  return { events, streams };
}

const open = (slot: number, imei?: string) => openTestAttempt(db.prisma, seed, slot, imei);

const message = (
  attemptId: string,
  slot: number,
  imei: string,
  overrides: Partial<StationResultMessage> = {},
) => passedResultMessage(STATION, attemptId, slot, imei, overrides);

/** XADD as the station's outbox does, signed with the station's key (or a forger's). */
const publish = (
  m: unknown,
  stationId = STATION,
  signingKey = credentials[stationId]!.signingKey,
) => {
  const signed = signMessage(signingKey, 'result', m);
  return redis.xadd(stationResultsStream(prefix, stationId), '*', 'm', signed.m, 's', signed.s);
};

/** The confirmation as the station reads it: signed with its key, else a failure here. */
const confirmed = async (attemptId: string) => {
  const raw = await redis.hget(stationConfirmedKey(prefix, STATION), attemptId);
  if (raw === null) return null;
  const opened = openMessage(
    credentials[STATION]!.signingKey,
    'confirm',
    JSON.parse(raw) as SignedMessage,
  );
  if (!opened.ok) throw new Error(`confirmation not signed by the server: ${opened.reason}`);
  return opened.message as { v: 1; stored: boolean; reason?: string };
};

const pendingCount = async () => {
  const [count] = (await redis.xpending(
    stationResultsStream(prefix, STATION),
    SERVER_CONSUMER_GROUP,
  )) as [number];
  return count;
};

const setConnections = (allow: boolean) =>
  admin.$executeRawUnsafe(
    `ALTER DATABASE "${new URL(db.url).pathname.slice(1)}" ALLOW_CONNECTIONS ${allow}`,
  );

beforeAll(async () => {
  db = await createTestDatabase();
  admin = createPrismaClient('postgresql://postgres@127.0.0.1:5432/postgres');
  redis = createRedis('redis://127.0.0.1:6379', silentLogger, 'test');
  prefix = uniquePrefix('results');
  for (const code of [STATION, 'res-2'])
    credentials[code] = await issueTestCredential(db.prisma, prefix, code);
  keyring = await loadTestKeyring(db.prisma, redis, prefix);
  producer = createRedis('redis://127.0.0.1:6379', silentLogger, 'test-producer', {
    forBullMq: true,
  });
  queues = new FlashQueues({
    connection: producer,
    prefix,
    logger: silentLogger,
  });
  seed = await seedStationRecord(db.prisma, STATION, 8);
  await stationRepository.upsert(db.prisma, {
    code: 'res-2',
    name: 'res-2',
    slots: [{ index: 0, label: 'slot-01' }],
  });
});

afterEach(async () => {
  while (stops.length > 0) await stops.pop()!();
});

afterAll(async () => {
  await setConnections(true).catch(() => {});
  await admin.$disconnect();
  await queues.close();
  producer.disconnect();
  await db.drop();
  redis.disconnect();
  await deleteKeys(prefix);
});

describe('result path', () => {
  it('stores a result, confirms it after the commit, shows it once; a replay changes nothing', async () => {
    const imei = uniqueImei();
    const attempt = await open(1, imei);
    const { events } = startReader();
    await publish(message(attempt.id, 1, imei));
    const answer = await waitFor('confirmation', () => confirmed(attempt.id));
    expect(answer).toMatchObject({ v: 1, stored: true });
    expect(events).toEqual([
      expect.objectContaining({
        attemptId: attempt.id,
        outcome: 'passed',
        slot: 1,
        imei,
        stage: 'postflight',
        reportedImei: imei,
      }),
    ]);
    const stored = await db.prisma.flashAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
    expect(stored).toMatchObject({
      outcome: 'passed',
      stageReached: 'postflight',
      revisionAfter: 'MC60CAR01A13',
    });
    // The station did not see the confirmation (say Redis lost it) and publishes again.
    await redis.hdel(stationConfirmedKey(prefix, STATION), attempt.id);
    const replay = message(attempt.id, 1, imei);
    replay.result.outcome = 'failed';
    await publish(replay);
    await waitFor('second confirmation', () => confirmed(attempt.id));
    // Shown once: the replay is a new entry, and the first delivery's server showed it.
    expect(events).toHaveLength(1);
    const after = await db.prisma.flashAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
    expect(after.outcome).toBe('passed');
    expect(after.endedAt).toEqual(stored.endedAt);
    expect(await pendingCount()).toBe(0);
  });

  it('holds a result through a Postgres outage: nothing shown or confirmed until it is stored', async () => {
    const imei = uniqueImei();
    const attempt = await open(2, imei);
    const readerPrisma = createPrismaClient(db.url);
    const { logger, lines } = capture();
    try {
      await setConnections(false);
      await admin.$executeRawUnsafe(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${new URL(db.url).pathname.slice(1)}' AND pid <> pg_backend_pid()`,
      );
      const { events } = startReader({ prisma: readerPrisma, logger });
      await publish(message(attempt.id, 2, imei));
      await waitFor('a failed commit', () =>
        lines.some((l) => l.msg === 'storing result failed: retrying'),
      );
      // Still retrying well after the old 18 s give-up would have taken: it never gives up.
      await waitFor(
        'ten retries',
        () =>
          lines.some(
            (l) =>
              l.msg === 'storing result failed: retrying' &&
              lines.filter((x) => x.msg === l.msg).length >= 2,
          ),
        { timeoutMs: 10_000 },
      );
      expect(events).toEqual([]);
      expect(await confirmed(attempt.id)).toBeNull();
      expect(await pendingCount()).toBe(1);
      await setConnections(true);
      await waitFor('stored and shown', () => events.length === 1);
      expect(events[0]).toMatchObject({ attemptId: attempt.id, outcome: 'passed' });
      expect(await confirmed(attempt.id)).not.toBeNull();
      expect(await pendingCount()).toBe(0);
    } finally {
      await setConnections(true);
      while (stops.length > 0) await stops.pop()!();
      await readerPrisma.$disconnect();
    }
  });

  it('refuses a result for an attempt issued to another slot or station, and malformed ones', async () => {
    const imei = uniqueImei();
    const attempt = await open(3, imei);
    const { logger, lines } = capture();
    const { events } = startReader({ logger });
    await publish(message(attempt.id, 1, imei)); // wrong slot
    await publish({ ...message(attempt.id, 1, imei), stationId: 'res-2' }, 'res-2'); // unread stream
    await publish({ ...message(attempt.id, 3, imei), stationId: 'res-2' }); // claims another station
    await publish({ v: 1 }); // signed, but not a result
    await waitFor(
      'all four handled',
      async () => (await pendingCount()) === 0 && lines.filter((l) => l.level >= 50).length >= 3,
    );
    expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([
      'result from a station or slot the attempt was not issued to: refused',
      'result on another station stream refused',
      'malformed result message refused',
    ]);
    expect(events).toEqual([]);
    expect((await attemptRepository.findById(db.prisma, attempt.id))!.endedAt).toBeNull();
    // The station is told it was refused (so it stops publishing it), and why.
    expect(await confirmed(attempt.id)).toMatchObject({
      v: 1,
      stored: false,
      reason: 'it names another station',
    });
    await attemptRepository.interruptOpen(db.prisma, {
      attemptIds: [attempt.id],
      errorName: 'TEST',
      message: 'cleanup',
    });
  });

  it('refuses a forged PASS: unsigned, or signed with another key; nothing stored, confirmed or shown', async () => {
    const imei = uniqueImei();
    const attempt = await open(3, imei);
    const { logger, lines } = capture();
    const { events } = startReader({ logger });
    const forged = message(attempt.id, 3, imei, {});
    forged.result.revisionAfter = 'MADE-UP-REVISION';
    // As an attacker on the line network would: straight into the station's stream.
    await redis.xadd(stationResultsStream(prefix, STATION), '*', 'm', JSON.stringify(forged));
    await publish(forged, STATION, deriveStationKeys(newStationSecret()).signingKey);
    // Signed by res-2 (a real station) but written into res-1's stream.
    await publish(forged, STATION, credentials['res-2']!.signingKey);
    await waitFor(
      'all three refused',
      () =>
        lines.filter((l) => l.msg === 'refused a stream entry the station did not sign').length ===
        3,
    );
    expect(await pendingCount()).toBe(0);
    expect(events).toEqual([]);
    expect(await confirmed(attempt.id)).toBeNull();
    const stored = await attemptRepository.findById(db.prisma, attempt.id);
    expect(stored).toMatchObject({ endedAt: null, outcome: 'running', revisionAfter: null });
    await attemptRepository.interruptOpen(db.prisma, {
      attemptIds: [attempt.id],
      errorName: 'TEST',
      message: 'cleanup',
    });
  });

  it('handles and acknowledges the rest of a batch around a forged entry in its middle', async () => {
    const [first, second] = [uniqueImei(), uniqueImei()];
    const attempts = [await open(5, first), await open(6, second)];
    const { logger, lines } = capture();
    // Published while no reader runs: the reader takes all three in one read.
    const ids = [
      await publish(message(attempts[0]!.id, 5, first)),
      await publish(
        message(attempts[1]!.id, 6, second),
        STATION,
        deriveStationKeys(newStationSecret()).signingKey,
      ),
      await publish(message(attempts[1]!.id, 6, second)),
    ];
    const { events } = startReader({ logger });
    await waitFor('both genuine results confirmed', async () =>
      (await Promise.all(attempts.map((a) => confirmed(a.id)))).every(Boolean),
    );
    expect(events.map((e) => e.attemptId)).toEqual(attempts.map((a) => a.id));
    expect(
      lines.filter((l) => l.msg === 'refused a stream entry the station did not sign'),
    ).toHaveLength(1);
    await waitFor('all three acknowledged', async () => (await pendingCount()) === 0);
    // And deleted, the forged one with them: nobody reads it again.
    for (const id of ids)
      expect(await redis.xrange(stationResultsStream(prefix, STATION), id!, id!)).toEqual([]);
  });

  it('a handler giving up mid-batch acknowledges what was handled and leaves the rest pending', async () => {
    const [first, second] = [uniqueImei(), uniqueImei()];
    const attempts = [await open(7, first), await open(8, second)];
    const readerPrisma = createPrismaClient(db.url);
    const { logger, lines } = capture();
    try {
      await setConnections(false);
      await admin.$executeRawUnsafe(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${new URL(db.url).pathname.slice(1)}' AND pid <> pg_backend_pid()`,
      );
      // One batch: a signed non-result (refused without Postgres), then two that need it.
      const refusedId = await publish({ v: 1 });
      const waiting = [
        await publish(message(attempts[0]!.id, 7, first)),
        await publish(message(attempts[1]!.id, 8, second)),
      ];
      const reader = startReader({ prisma: readerPrisma, logger });
      await waitFor('the first result retrying', () =>
        lines.some((l) => l.msg === 'storing result failed: retrying'),
      );
      // What was handled ahead of a handler that takes long is acknowledged meanwhile.
      await waitFor('the refused entry acknowledged', async () => (await pendingCount()) === 2);
      // The server stops: the retrying handler gives up (it rejects), the batch is cut short.
      await reader.streams.stop();
      const pending = (await redis.xpending(
        stationResultsStream(prefix, STATION),
        SERVER_CONSUMER_GROUP,
        '-',
        '+',
        10,
      )) as [id: string, ...unknown[]][];
      expect(pending.map(([id]) => id)).toEqual(waiting);
      expect(
        await redis.xrange(stationResultsStream(prefix, STATION), refusedId!, refusedId!),
      ).toEqual([]);
      expect(reader.events).toEqual([]);
      // Postgres back, the next server takes both over and stores them.
      await setConnections(true);
      const next = startReader({ claimIdleMs: 300 });
      await waitFor('both taken over and stored', () => next.events.length === 2);
      expect(next.events.map((e) => e.attemptId).sort()).toEqual(attempts.map((a) => a.id).sort());
      expect(await pendingCount()).toBe(0);
    } finally {
      await setConnections(true);
      while (stops.length > 0) await stops.pop()!();
      await readerPrisma.$disconnect();
    }
  });

  it('takes over the results a dead server read and never acknowledged', async () => {
    const imei = uniqueImei();
    const attempt = await open(4, imei);
    // Make sure the group exists, then "a server" reads the entry and dies before handling it.
    const bootstrap = startReader();
    await waitFor('group ready', async () => {
      const groups = (await redis.xinfo(
        'GROUPS',
        stationResultsStream(prefix, STATION),
      )) as unknown[];
      return groups.length > 0;
    });
    await bootstrap.streams.stop();
    await publish(message(attempt.id, 4, imei));
    await redis.xreadgroup(
      'GROUP',
      SERVER_CONSUMER_GROUP,
      'dead-server',
      'COUNT',
      10,
      'STREAMS',
      stationResultsStream(prefix, STATION),
      '>',
    );
    expect(await pendingCount()).toBe(1);
    const { events } = startReader({ claimIdleMs: 300 });
    await waitFor('taken over and stored', () => events.find((e) => e.attemptId === attempt.id));
    expect(await pendingCount()).toBe(0);
  });
});
