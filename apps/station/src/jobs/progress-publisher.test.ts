// The progress publisher against a real Redis, as the station's own ACL user: events of one batch
// window leave as one signed entry, every one arrives in the order given, and a full batch does
// not wait for its window.
import {
  PROGRESS_BATCH_MAX,
  StationProgressBatch,
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

/** The stream's entries, opened with the station's key (a bad signature fails the test). */
async function published(): Promise<StationProgressBatch[]> {
  const entries = await redis.xrange(stationProgressStream(prefix.prefix, STATION), '-', '+');
  return entries.map(([, fields]) => {
    const m = fields[fields.indexOf(STREAM_MESSAGE_FIELD) + 1];
    const s = fields[fields.indexOf(STREAM_SIGNATURE_FIELD) + 1];
    const opened = openMessage(station.signingKey, 'progress', { m, s });
    if (!opened.ok) throw new Error(opened.reason);
    return StationProgressBatch.parse(opened.message);
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
  it('sends the events of one window as one signed entry, in order, and later ones after it', async () => {
    const sameTurn = [progress(1, 4096), progress(2, 4096), progress(1, 8192)];
    for (const message of sameTurn) publish(message);
    await waitFor('the first batch published', async () => (await published()).length === 1);
    publish(progress(3, 4096));
    publish(progress(2, 8192));
    await waitFor('the next batch published', async () => (await published()).length === 2);
    expect(await published()).toEqual([
      { v: 1, stationId: STATION, progress: sameTurn },
      { v: 1, stationId: STATION, progress: [progress(3, 4096), progress(2, 8192)] },
    ]);
  });

  it('sends a full batch at once and the rest in the next entry', async () => {
    const many = Array.from({ length: PROGRESS_BATCH_MAX + 3 }, (_, i) =>
      progress(1 + (i % 128), i),
    );
    for (const message of many) publish(message);
    await waitFor('both batches published', async () => (await published()).length === 2);
    const [full, rest] = await published();
    expect(full!.progress).toEqual(many.slice(0, PROGRESS_BATCH_MAX));
    expect(rest!.progress).toEqual(many.slice(PROGRESS_BATCH_MAX));
  });
});
