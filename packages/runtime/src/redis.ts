import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@station/logger';
import { StartupError } from './startup-error';

/** A dependency that is missing or unreachable at start: the message is the one sentence to print. */
export class ServiceUnavailableError extends StartupError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceUnavailableError';
  }
}

const where = (url: string): string => {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || '6379'}`;
};

/** PING for health checks; while disconnected, says so instead of ioredis's offline-queue error. */
export async function pingRedis(redis: Redis, url: string): Promise<void> {
  if (redis.status !== 'ready') {
    throw new Error(`no connection to ${where(url)} (connection ${redis.status})`);
  }
  await redis.ping();
}

/**
 * Fails fast with one clear sentence when Redis is not there, instead of ioredis retrying forever
 * and printing a reconnect stack trace per attempt.
 */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {}); // the failure is reported through connect() below
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new ServiceUnavailableError(
      `Redis is not reachable at ${where(url)} (REDIS_URL): start the local service (\`service redis-server start\`) or set REDIS_URL to where it runs.`,
      { cause: error },
    );
  } finally {
    probe.disconnect();
  }
}

/**
 * A long-lived connection. `forBullMq` connections wait for Redis to come back (BullMQ requires
 * `maxRetriesPerRequest: null`); the others fail commands at once while disconnected, so a health
 * check or a poll never hangs on an outage.
 */
export function createRedis(
  url: string,
  logger: Logger,
  role: string,
  options: { forBullMq?: boolean } = {},
): Redis {
  const extra: RedisOptions = options.forBullMq
    ? { maxRetriesPerRequest: null }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false };
  const redis = new Redis(url, { connectionName: `flashstation-${role}`, ...extra });
  redis.on('error', (err) => logger.warn({ err, role }, 'redis connection error'));
  return redis;
}

/** Resolves once a connection can take commands (needed when the offline queue is disabled). */
export async function waitUntilReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      redis.off('end', onEnd);
      resolve();
    };
    const onEnd = () => {
      redis.off('ready', onReady);
      reject(new ServiceUnavailableError('Redis closed the connection before it was ready.'));
    };
    redis.once('ready', onReady);
    redis.once('end', onEnd);
  });
}
