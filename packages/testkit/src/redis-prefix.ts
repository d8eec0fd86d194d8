// A Redis key prefix of its own per test suite, and removing every key under it afterwards.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis every test uses unless it starts a private one (the project's default service). */
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/** `test-<label>-<8 hex>`: unique per call, readable in `redis-cli --scan`. */
export function uniquePrefix(label: string): string {
  return `test-${label}-${randomBytes(4).toString('hex')}`;
}

async function withRedis<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  // One attempt, no offline queue: a test against a Redis that is down fails at once, naming it.
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect().catch((error: Error) => {
      throw new Error(`Redis is not reachable at ${url}: ${error.message}`, { cause: error });
    });
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

/** Every key under `<prefix>:`. */
export function redisKeys(prefix: string, url = LOCAL_REDIS_URL): Promise<string[]> {
  return withRedis(url, async (redis) => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  });
}

/**
 * Deletes every key under `<prefix>:`, and every ACL user named under it (stations' users, see
 * provisionStation), and returns how many keys there were.
 */
export async function deleteKeys(prefix: string, url = LOCAL_REDIS_URL): Promise<number> {
  const keys = await redisKeys(prefix, url);
  await withRedis(url, async (redis) => {
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    const users = ((await redis.call('ACL', 'USERS')) as string[]).filter((user) =>
      user.startsWith(`${prefix}:`),
    );
    if (users.length > 0) await redis.call('ACL', 'DELUSER', ...users);
  });
  return keys.length;
}

export interface TestRedisPrefix {
  prefix: string;
  url: string;
  keys(): Promise<string[]>;
  /** Deletes the prefix's keys, then fails if any came back (a process still writing). */
  dispose(): Promise<void>;
}

/** A fresh prefix on `url`; `dispose()` in an after-hook leaves Redis as it was. */
export function testRedisPrefix(label: string, url = LOCAL_REDIS_URL): TestRedisPrefix {
  const prefix = uniquePrefix(label);
  return {
    prefix,
    url,
    keys: () => redisKeys(prefix, url),
    async dispose() {
      await deleteKeys(prefix, url);
      const left = await redisKeys(prefix, url);
      if (left.length > 0) {
        throw new Error(`Redis keys under ${prefix} came back after deletion: ${left.join(', ')}`);
      }
    },
  };
}
