// The progress publisher against a real Redis, as the station's own ACL user: events published in
// the same turn leave as one pipeline, and every one still arrives, signed, in the order given.
import {
  STREAM_MESSAGE_FIELD,
  STREAM_SIGNATURE_FIELD,
  stationProgressStream,
  type StationProgressMessage,
} from '@station/contracts';
import { createLogger } from '@station/logger';
import {
  labelImei,
  provisionStation,
  testRedisPrefix,
  waitFor,
  type ProvisionedStation,
  type TestRedisPrefix,
} from '@station/testkit';
import { openMessage, stationRedisUrl } from '@station/trust';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProgressPublisher, type ProgressPublisher } from './progress-publisher';

const STATION = 'progress-1';
let prefix: TestRedisPrefix;
let station: ProvisionedStation;
/** The test's own connection, with the server's rights. */
let redis: Redis;
/** The publisher's connection: the station's Redis user. */
let stationRedis: Redis;
let publish: ProgressPublisher;

const progress = (slot: number, bytes: number): StationProgressMessage => ({
  v: 1,
  stage: 'write',
  percent: Math.floor(bytes / 1024),
  bytes,
  totalBytes: 102_400,
  stationId: STATION,
  attemptId: `attempt-${slot}`,
  slot,
  imei: labelImei(slot),
});

/** The stream's messages, opened with the station's key (a bad signature fails the test). */
async function published(): Promise<unknown[]> {
  const entries = await redis.xrange(stationProgressStream(prefix.prefix, STATION), '-', '+');
  return entries.map(([, fields]) => {
    const m = fields[fields.indexOf(STREAM_MESSAGE_FIELD) + 1];
    const s = fields[fields.indexOf(STREAM_SIGNATURE_FIELD) + 1];
    const opened = openMessage(station.signingKey, 'progress', { m, s });
    if (!opened.ok) throw new Error(opened.reason);
    return opened.message;
  });
}

beforeEach(async () => {
  prefix = testRedisPrefix('progress');
  station = await provisionStation({ stationId: STATION, prefix: prefix.prefix });
  redis = new Redis(prefix.url);
  stationRedis = new Redis(
    stationRedisUrl(prefix.url, prefix.prefix, STATION, station.redisPassword),
    { maxRetriesPerRequest: 1 },
  );
  await waitFor('redis ready', () => stationRedis.status === 'ready');
  publish = createProgressPublisher({
    redis: stationRedis,
    prefix: prefix.prefix,
    stationId: STATION,
    signingKey: station.signingKey,
    logger: createLogger({ name: 'progress-test', level: 'silent' }),
  });
});

afterEach(async () => {
  stationRedis.disconnect();
  redis.disconnect();
  await prefix.dispose();
});

describe('createProgressPublisher', () => {
  it('publishes every event of a turn, signed and in order, and later turns after them', async () => {
    const sameTurn = [progress(1, 4096), progress(2, 4096), progress(1, 8192)];
    for (const message of sameTurn) publish(message);
    await waitFor('the first turn published', async () => (await published()).length === 3);
    publish(progress(3, 4096));
    await waitFor('the next turn published', async () => (await published()).length === 4);
    expect(await published()).toEqual([...sameTurn, progress(3, 4096)]);
  });
});
