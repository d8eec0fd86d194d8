// The outbox against a real Redis (as the station's own ACL user) and a real journal file: what
// it publishes and signs, when it publishes again, and how it lets go of a result once the server
// has answered for it, and only then: answers not signed with the station's key are ignored.
import { join } from 'node:path';
import {
  STREAM_SIGNATURE_FIELD,
  STREAM_MESSAGE_FIELD,
  stationConfirmedKey,
  stationResultsStream,
  type StationResultMessage,
} from '@station/contracts';
import { createLogger } from '@station/logger';
import {
  labelImei,
  provisionStation,
  tempDir,
  testRedisPrefix,
  waitFor,
  type ProvisionedStation,
  type TempDir,
  type TestRedisPrefix,
} from '@station/testkit';
import {
  deriveStationKeys,
  newStationSecret,
  openMessage,
  signMessage,
  stationRedisUrl,
} from '@station/trust';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StationJournal } from './journal';
import { ResultOutbox } from './result-outbox';

const STATION = 'outbox-1';
let dir: TempDir;
let prefix: TestRedisPrefix;
/** The test's own connection, with the server's rights (default user). */
let redis: Redis;
/** The outbox's connection: the station's Redis user. */
let stationRedis: Redis;
let station: ProvisionedStation;
let journal: StationJournal;
let outbox: ResultOutbox;
const lines: { level: number; msg: string; reason?: string; problem?: string }[] = [];

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

/** The attempt ids on the results stream, each entry's signature checked as the server does. */
const published = async () =>
  (await redis.xrange(stationResultsStream(prefix.prefix, STATION), '-', '+')).map(([, fields]) => {
    const opened = openMessage(station.signingKey, 'result', {
      m: fields[fields.indexOf(STREAM_MESSAGE_FIELD) + 1],
      s: fields[fields.indexOf(STREAM_SIGNATURE_FIELD) + 1],
    });
    if (!opened.ok) throw new Error(`a result entry does not verify: ${opened.reason}`);
    return (opened.message as StationResultMessage).result.attemptId;
  });

const confirmation = (attemptId: string, stored: boolean, reason?: string) => ({
  v: 1,
  attemptId,
  stored,
  at: new Date().toISOString(),
  ...(reason ? { reason } : {}),
});

/** Writes `value` as the answer for `attemptId`, as the server does (JSON of a signed message). */
const answerWith = (attemptId: string, value: unknown) =>
  redis.hset(stationConfirmedKey(prefix.prefix, STATION), attemptId, JSON.stringify(value));

/** Why each ignored answer was ignored, in log order. */
const ignoredProblems = () =>
  lines
    .filter(
      (l) =>
        l.msg === 'ignored a confirmation this station cannot verify: the result stays unconfirmed',
    )
    .map((l) => l.problem);

const answer = (attemptId: string, stored: boolean, reason?: string) =>
  answerWith(
    attemptId,
    signMessage(station.signingKey, 'confirm', confirmation(attemptId, stored, reason)),
  );

beforeEach(async () => {
  dir = await tempDir('outbox');
  prefix = testRedisPrefix('outbox');
  station = await provisionStation({ stationId: STATION, prefix: prefix.prefix });
  redis = new Redis(prefix.url);
  stationRedis = new Redis(
    stationRedisUrl(prefix.url, prefix.prefix, STATION, station.redisPassword),
    { maxRetriesPerRequest: 1, enableOfflineQueue: false },
  );
  await waitFor('redis ready', () => stationRedis.status === 'ready');
  journal = await StationJournal.open(join(dir.path, 'journal.jsonl'));
  lines.length = 0;
  const logger = createLogger({
    name: 'outbox-test',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  outbox = new ResultOutbox({
    redis: stationRedis,
    journal,
    prefix: prefix.prefix,
    stationId: STATION,
    signingKey: station.signingKey,
    logger,
    confirmPollMs: 50,
  });
});

afterEach(async () => {
  await outbox.stop();
  await journal.close();
  stationRedis.disconnect();
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
    stationRedis.disconnect(true); // reconnects, and says `ready` again
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

  it('ignores an unsigned or forged "stored" answer: the result stays and is published again', async () => {
    outbox.start();
    await outbox.settle(message('a5'));
    await outbox.settle(message('a6'));
    expect(await published()).toEqual(['a5', 'a6']);
    const otherStation = deriveStationKeys(newStationSecret());
    await answerWith('a5', confirmation('a5', true)); // no signature at all
    await answerWith(
      'a6',
      signMessage(otherStation.signingKey, 'confirm', confirmation('a6', true)),
    );
    await waitFor('both published again', async () => (await published()).length === 4);
    expect(await published()).toEqual(['a5', 'a6', 'a5', 'a6']);
    // Several polls later (every 50 ms): still held, each bad answer logged once.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(journal.isUnconfirmed('a5')).toBe(true);
    expect(journal.isUnconfirmed('a6')).toBe(true);
    expect(ignoredProblems()).toEqual(['no signature', 'bad confirm signature']);
    expect(await published()).toHaveLength(4);
    // A result's signature does not pass for a confirmation: the kind is part of what is signed.
    await answerWith('a5', signMessage(station.signingKey, 'result', confirmation('a5', true)));
    await waitFor('the new bad answer noticed', () => ignoredProblems().length === 3);
    expect(ignoredProblems()[2]).toBe('bad confirm signature');
    expect(journal.isUnconfirmed('a5')).toBe(true);
    // A genuine confirmation of another attempt, copied onto a5's field, is not a5's.
    await answerWith('a5', signMessage(station.signingKey, 'confirm', confirmation('a6', true)));
    await waitFor('the copied answer noticed', () => ignoredProblems().length === 4);
    expect(ignoredProblems()[3]).toBe('a confirmation of attempt a6, not of this one');
    expect(journal.isUnconfirmed('a5')).toBe(true);
    // The server's real answer still works.
    await answer('a5', true);
    await waitFor('a5 forgotten', () => !journal.isUnconfirmed('a5'));
    expect(journal.isUnconfirmed('a6')).toBe(true);
  });
});
