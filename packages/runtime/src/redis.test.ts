// Redis connections against the real Redis at 127.0.0.1:6379, and a closed port (127.0.0.1:1)
// for "not there". No keys are written. Nothing is mocked.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@station/logger';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ServiceUnavailableError,
  assertRedisReachable,
  createRedis,
  pingRedis,
  waitUntilReady,
} from './redis';
import { StartupError } from './startup-error';

const REDIS_URL = 'redis://127.0.0.1:6379';
const CLOSED_URL = 'redis://127.0.0.1:1';

/** A real logger whose lines land in an array; `next(msg)` resolves at the first such line. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const waiting: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = JSON.parse(chunk.toString()) as Record<string, unknown>;
      lines.push(line);
      for (const w of waiting.filter((w) => w.msg === line.msg)) w.resolve(line);
      done();
    },
  });
  const logger = createLogger({ name: 'test', level: 'debug', destination });
  const next = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve) => waiting.push({ msg, resolve }));
  return { logger, lines, next };
}

const opened: Redis[] = [];
afterEach(() => {
  for (const redis of opened.splice(0)) redis.disconnect();
});

describe('assertRedisReachable', () => {
  it('says in one sentence that Redis is not reachable, and where', async () => {
    const failure = await assertRedisReachable(CLOSED_URL).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as Error).message).toBe(
      'Redis is not reachable at 127.0.0.1:1 (REDIS_URL): start the local service (`service redis-server start`) or set REDIS_URL to where it runs.',
    );
    expect((failure as Error).cause).toBeInstanceOf(Error);
  });

  it('passes when Redis answers', async () => {
    await expect(assertRedisReachable(REDIS_URL)).resolves.toBeUndefined();
  });
});

describe('createRedis', () => {
  it('connects under a name that tells the role, and answers pings', async () => {
    const role = `test-${randomBytes(4).toString('hex')}`;
    const { logger } = capturingLogger();
    const redis = createRedis(REDIS_URL, logger, role);
    opened.push(redis);
    await waitUntilReady(redis);
    await expect(pingRedis(redis, REDIS_URL)).resolves.toBeUndefined();
    expect(await redis.client('GETNAME')).toBe(`flashstation-${role}`);
    await waitUntilReady(redis); // already ready: returns at once
  });

  it('logs connection errors with the role, and fails commands at once while disconnected', async () => {
    const { logger, next } = capturingLogger();
    const redis = createRedis(CLOSED_URL, logger, 'unreachable');
    opened.push(redis);
    const warning = await next('redis connection error');
    expect(warning).toMatchObject({ level: 40, role: 'unreachable' });
    await expect(redis.get('anything')).rejects.toThrow(/enableOfflineQueue/);
    await expect(pingRedis(redis, CLOSED_URL)).rejects.toThrow(
      /^no connection to 127\.0\.0\.1:1 \(connection [a-z]+\)$/,
    );
  });

  it('lets BullMQ connections queue commands until Redis is back', async () => {
    const { logger } = capturingLogger();
    const redis = createRedis(REDIS_URL, logger, 'worker', { forBullMq: true });
    opened.push(redis);
    // Sent before the connection is ready: the offline queue holds it instead of failing it.
    expect(redis.status).not.toBe('ready');
    expect(await redis.ping()).toBe('PONG');
    expect(redis.options.maxRetriesPerRequest).toBeNull();
  });
});

describe('waitUntilReady', () => {
  it('fails with a clear error when the connection ends before it is ready', async () => {
    const { logger, next } = capturingLogger();
    const redis = createRedis(CLOSED_URL, logger, 'closing');
    opened.push(redis);
    const ready = waitUntilReady(redis);
    await next('redis connection error');
    redis.disconnect();
    await expect(ready).rejects.toThrow(
      new ServiceUnavailableError('Redis closed the connection before it was ready.'),
    );
  });
});
