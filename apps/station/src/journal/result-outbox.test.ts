// The outbox against a real Redis and a real journal file: what it publishes, when it publishes
// again, and how it lets go of a result once the server has answered for it.
import { join } from 'node:path';
import {
  STREAM_MESSAGE_FIELD,
  stationConfirmedKey,
  stationResultsStream,
  type StationResultMessage,
} from '@station/contracts';
import { createLogger } from '@station/logger';
import {
  labelImei,
  tempDir,
  testRedisPrefix,
  waitFor,
  type TempDir,
  type TestRedisPrefix,
} from '@station/testkit';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StationJournal } from './journal';
import { ResultOutbox } from './result-outbox';

const STATION = 'outbox-1';
let dir: TempDir;
let prefix: TestRedisPrefix;
let redis: Redis;
let journal: StationJournal;
let outbox: ResultOutbox;
const lines: { level: number; msg: string; reason?: string }[] = [];

const message = (attemptId: string): StationResultMessage => ({
  v: 1,
  stationId: STATION,
  bootId: 'boot-1',
  slot: 1,
  imei: labelImei(1),
  result: {
    v: 1,
    attemptId,
    outcome: 'interrupted',
    errorCode: null,
    errorName: 'STATION_RESTARTED',
    stage: 'write',
    retryable: true,
    stageTimings: {},
    baud: 921600,
    bytesWritten: 0,
    revisionBefore: null,
    revisionAfter: null,
    imeiRead: null,
  },
});

const published = async () =>
  (await redis.xrange(stationResultsStream(prefix.prefix, STATION), '-', '+')).map(
    ([, fields]) =>
      (JSON.parse(fields[fields.indexOf(STREAM_MESSAGE_FIELD) + 1]!) as StationResultMessage).result
        .attemptId,
  );

const answer = (attemptId: string, stored: boolean, reason?: string) =>
  redis.hset(
    stationConfirmedKey(prefix.prefix, STATION),
    attemptId,
    JSON.stringify({ v: 1, stored, at: new Date().toISOString(), ...(reason ? { reason } : {}) }),
  );

beforeEach(async () => {
  dir = await tempDir('outbox');
  prefix = testRedisPrefix('outbox');
  redis = new Redis('redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  await waitFor('redis ready', () => redis.status === 'ready');
  journal = await StationJournal.open(join(dir.path, 'journal.jsonl'));
  lines.length = 0;
  const logger = createLogger({
    name: 'outbox-test',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  outbox = new ResultOutbox({
    redis,
    journal,
    prefix: prefix.prefix,
    stationId: STATION,
    logger,
    confirmPollMs: 50,
  });
});

afterEach(async () => {
  await outbox.stop();
  await journal.close();
  redis.disconnect();
  await prefix.dispose();
  await dir.dispose();
});

describe('ResultOutbox', () => {
  it('publishes on start what the journal holds unconfirmed, and forgets what the server stored', async () => {
    await journal.recordResult(message('a1'));
    await journal.recordResult(message('a2'));
    outbox.start();
    await waitFor('both published', async () => (await published()).length === 2);
    await answer('a1', true);
    await waitFor('a1 forgotten', () => !journal.isUnconfirmed('a1'));
    expect(journal.isUnconfirmed('a2')).toBe(true);
    // The answer is cleaned up once taken.
    expect(await redis.hexists(stationConfirmedKey(prefix.prefix, STATION), 'a1')).toBe(0);
  });

  it('publishes again after a reconnect (Redis may have lost the stream)', async () => {
    outbox.start();
    await outbox.settle(message('a3'));
    expect(await published()).toEqual(['a3']);
    await redis.del(stationResultsStream(prefix.prefix, STATION));
    redis.disconnect(true); // reconnects, and says `ready` again
    await waitFor('published again', async () => (await published()).includes('a3'));
  });

  it('forgets a refused result, saying so at error level with the reason', async () => {
    outbox.start();
    await outbox.settle(message('a4'));
    await answer('a4', false, 'no such attempt in the record');
    await waitFor('a4 forgotten', () => !journal.isUnconfirmed('a4'));
    expect(lines.find((l) => l.msg === 'the server refused this result')).toMatchObject({
      level: 50,
      reason: 'no such attempt in the record',
    });
  });
});
