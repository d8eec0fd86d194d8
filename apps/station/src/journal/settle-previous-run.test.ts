// Settling what a dead run left active, against real Redis (the station's own ACL user reads its
// queue) and a real journal file: jobs signed with the station's key end `interrupted`; one nobody
// signed gets no result (BullMQ fails it as stalled) and is only logged.
import { Writable } from 'node:stream';
import { FlashRunJob, flashQueueName, type FlashRunPayload } from '@station/contracts';
import { createLogger } from '@station/logger';
import {
  labelImei,
  provisionStation,
  tempDir,
  testRedisPrefix,
  type TempDir,
  type TestRedisPrefix,
} from '@station/testkit';
import { signMessage, stationRedisUrl } from '@station/trust';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StationJournal } from './journal';
import { settlePreviousRun } from './settle-previous-run';

const STATION = 'settle-1';
let dir: TempDir;
let prefix: TestRedisPrefix;
let redis: Redis;
let stationRedis: Redis;
let journal: StationJournal;
const closing: { close(): Promise<unknown> }[] = [];

beforeEach(async () => {
  dir = await tempDir('settle');
  prefix = testRedisPrefix('settle');
  redis = new Redis(prefix.url, { maxRetriesPerRequest: null });
  journal = await StationJournal.open(dir.join('journal.jsonl'));
});

afterEach(async () => {
  for (const item of closing.splice(0)) await item.close();
  await journal.close();
  stationRedis?.disconnect();
  redis.disconnect();
  await prefix.dispose();
  await dir.dispose();
});

const payload = (attemptId: string): FlashRunPayload => ({
  v: 1,
  attemptId,
  stationId: STATION,
  slot: 1,
  imei: labelImei(1),
  packageId: 'demo',
  packageSha256: 'a'.repeat(64),
  baud: 921600,
  retryOf: null,
});

it('settles signed jobs the dead run held and leaves unsigned ones unsettled', async () => {
  const station = await provisionStation({ stationId: STATION, prefix: prefix.prefix });
  stationRedis = new Redis(
    stationRedisUrl(prefix.url, prefix.prefix, STATION, station.redisPassword),
    { maxRetriesPerRequest: null },
  );
  const queue = new Queue(flashQueueName(STATION), { connection: redis, prefix: prefix.prefix });
  closing.push(queue);
  await queue.add(FlashRunJob.name, signMessage(station.signingKey, 'job', payload('signed-1')));
  await queue.add(FlashRunJob.name, payload('unsigned-1'));
  // The dead run's worker: it took both jobs (active) and never finished them.
  const dead = new Worker(flashQueueName(STATION), null, {
    connection: redis,
    prefix: prefix.prefix,
  });
  closing.push(dead);
  await dead.getNextJob('dead-run');
  await dead.getNextJob('dead-run');
  expect(await queue.getActiveCount()).toBe(2);

  const lines: { msg: string; jobId?: string; problem?: string }[] = [];
  const logger = createLogger({
    name: 'settle-test',
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
        done();
      },
    }),
  });
  const stationQueue = new Queue(flashQueueName(STATION), {
    connection: stationRedis,
    prefix: prefix.prefix,
  });
  closing.push(stationQueue);
  const settled = await settlePreviousRun({
    stationId: STATION,
    signingKey: station.signingKey,
    bootId: 'boot-2',
    journal,
    queue: stationQueue,
    logger,
  });
  expect(settled).toBe(1);
  expect(journal.unconfirmed().map((m) => [m.result.attemptId, m.result.outcome])).toEqual([
    ['signed-1', 'interrupted'],
  ]);
  expect(journal.knows('unsigned-1')).toBe(false);
  expect(lines.find((l) => l.msg === 'left an unsigned job unsettled')).toMatchObject({
    problem: 'no signature',
  });
});
