// Key prefixes on the real Redis at 127.0.0.1:6379: keys under a test's prefix are found and
// removed, keys of other prefixes are left alone; a Redis that is down is named.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deleteKeys,
  LOCAL_REDIS_URL,
  redisKeys,
  testRedisPrefix,
  uniquePrefix,
} from '../src/index';

const redis = new Redis(LOCAL_REDIS_URL);
afterAll(() => redis.quit());

describe('Redis prefixes', () => {
  it('are unique per call', () => {
    expect(uniquePrefix('server')).toMatch(/^test-server-[0-9a-f]{8}$/);
    expect(uniquePrefix('server')).not.toBe(uniquePrefix('server'));
  });

  it('delete every key under their prefix, and only those', async () => {
    const mine = testRedisPrefix('kit');
    const other = uniquePrefix('kit-other');
    try {
      for (let i = 0; i < 1200; i++) await redis.set(`${mine.prefix}:k${i}`, '1');
      await redis.set(`${other}:keep`, '1');
      await redis.set(`${mine.prefix}x:not-mine`, '1');
      expect(await mine.keys()).toHaveLength(1200);
      await mine.dispose();
      expect(await redisKeys(mine.prefix)).toEqual([]);
      expect(await redis.get(`${other}:keep`)).toBe('1');
      expect(await redis.get(`${mine.prefix}x:not-mine`)).toBe('1');
    } finally {
      await deleteKeys(other);
      await redis.del(`${mine.prefix}x:not-mine`);
    }
  });

  it('name a Redis that cannot be reached', async () => {
    await expect(redisKeys('x', 'redis://127.0.0.1:1')).rejects.toThrow(
      /^Redis is not reachable at redis:\/\/127\.0\.0\.1:1: /,
    );
  });
});
