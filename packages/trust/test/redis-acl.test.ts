// The station's Redis user on the real Redis: it can run its own BullMQ worker and streams, and
// Redis itself refuses it another station's keys, the servers' keys and admin commands.
import { randomBytes } from 'node:crypto';
import { flashQueueName, stationResultsStream } from '@station/contracts';
const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyStationAcl,
  deriveStationKeys,
  newStationSecret,
  removeStationAcl,
  sha256Hex,
  stationRedisUrl,
} from '../src';

// Its own prefix (testkit depends on this package, so it is not used here).
const prefix = `test-acl-${randomBytes(4).toString('hex')}`;
const stationKeys = deriveStationKeys(newStationSecret());
let admin: Redis;
let station: Redis;

beforeAll(async () => {
  admin = new Redis(LOCAL_REDIS_URL);
  await applyStationAcl(admin, prefix, 'st-a', sha256Hex(stationKeys.redisPassword));
  await applyStationAcl(admin, prefix, 'st-b', sha256Hex('another password'));
  station = new Redis(stationRedisUrl(LOCAL_REDIS_URL, prefix, 'st-a', stationKeys.redisPassword), {
    maxRetriesPerRequest: null,
  });
});

afterAll(async () => {
  station?.disconnect();
  await removeStationAcl(admin, prefix, 'st-a');
  await removeStationAcl(admin, prefix, 'st-b');
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin?.quit();
});

const refusal = (work: Promise<unknown>) =>
  work.then(
    () => 'allowed',
    (error: Error) => error.message,
  );

describe('a station Redis user', { timeout: 30_000 }, () => {
  it('runs its own flash queue with BullMQ and writes its own streams', async () => {
    // The server (admin) adds the job; the station's worker, as the station user, takes it.
    const producer = new Queue(flashQueueName('st-a'), { connection: admin, prefix });
    const done = new Promise<unknown>((resolve) => {
      const worker = new Worker(flashQueueName('st-a'), async (job) => job.data as unknown, {
        connection: station,
        prefix,
      });
      worker.on('completed', (job) => void worker.close().then(() => resolve(job.returnvalue)));
    });
    await producer.add('flash.run', { hello: 1 });
    expect(await done).toEqual({ hello: 1 });
    await producer.close();
    expect(await station.xadd(stationResultsStream(prefix, 'st-a'), '*', 'm', '{}')).toMatch(/-/);
  });

  it('is refused another station queue and streams, the servers keys and admin commands', async () => {
    const otherQueue = `${prefix}:${flashQueueName('st-b')}:wait`;
    expect(await refusal(station.lpush(otherQueue, 'job'))).toMatch(/NOPERM/);
    expect(await refusal(station.lrange(otherQueue, 0, -1))).toMatch(/NOPERM/);
    expect(
      await refusal(station.xadd(stationResultsStream(prefix, 'st-b'), '*', 'm', '{}')),
    ).toMatch(/NOPERM/);
    expect(await refusal(station.set(`${prefix}:line:x:live`, '1'))).toMatch(/NOPERM/);
    expect(await refusal(station.call('KEYS', '*'))).toMatch(/NOPERM/);
    expect(await refusal(station.call('FLUSHALL'))).toMatch(/NOPERM/);
    expect(await refusal(station.call('ACL', 'LIST'))).toMatch(/NOPERM/);
    expect(await refusal(station.call('CONFIG', 'GET', '*'))).toMatch(/NOPERM/);
    // A script is checked key by key too: BullMQ's Lua cannot be turned against another queue.
    expect(await refusal(station.eval("return redis.call('GET', KEYS[1])", 1, otherQueue))).toMatch(
      /NOPERM|permission/i,
    );
  });

  it('stops working when its password is rotated', async () => {
    const rotated = deriveStationKeys(newStationSecret());
    await applyStationAcl(admin, prefix, 'st-b', sha256Hex(rotated.redisPassword));
    const old = new Redis(stationRedisUrl(LOCAL_REDIS_URL, prefix, 'st-b', 'another password'), {
      lazyConnect: true,
      retryStrategy: () => null,
    });
    const errors: string[] = [];
    old.on('error', (error: Error) => errors.push(error.message));
    await old.connect().catch(() => {});
    old.disconnect();
    expect(errors.join('\n')).toMatch(/WRONGPASS/);
  });
});
