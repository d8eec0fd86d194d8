// The start-up check of Redis as this station's own ACL user: a refused credential gets its own
// sentence (which secret, which fix), not "Redis is not reachable". Once running, a refusal (the
// credential revoked, or Redis restarted empty before a server re-created the user) is logged by
// createRedis at warn on each retry, and ioredis keeps retrying until Redis accepts it again.
import { stationHeartbeatKey, type StationId } from '@station/contracts';
import { assertRedisReachable, StartupError } from '@station/runtime';
import { Redis } from 'ioredis';
import { ASK_FOR_CREDENTIAL } from '../env';

const REFUSAL = /^(WRONGPASS|NOPERM)\b/;

const isRefusal = (error: unknown): error is Error =>
  error instanceof Error && REFUSAL.test(error.message);

export async function assertStationRedisAccess(options: {
  /** The station user's URL (agent/station-credential.ts). */
  redisUrl: string;
  prefix: string;
  stationId: StationId;
  timeoutMs?: number;
}): Promise<void> {
  const { redisUrl, timeoutMs = 3000 } = options;
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let refusal: Error | undefined;
  // ioredis reports a refused AUTH only here; connect() then just says the connection closed.
  probe.on('error', (error) => {
    if (isRefusal(error)) refusal ??= error;
  });
  try {
    await probe.connect();
    // One of its own keys: NOPERM means the user exists without this station's key rules.
    await probe.exists(stationHeartbeatKey(options.prefix, options.stationId));
  } catch (error) {
    if (isRefusal(error)) refusal ??= error;
    if (refusal) {
      const code = REFUSAL.exec(refusal.message)![1];
      throw new StartupError(
        `Redis refused station ${options.stationId}'s credential (${code}): ${ASK_FOR_CREDENTIAL}, or, if Redis was restarted, start a server first so it re-creates the station's Redis user.`,
        { cause: refusal },
      );
    }
    // Not the credential: the shared probe reports an absent Redis in the project's usual words.
    await assertRedisReachable(redisUrl, timeoutMs);
    throw error;
  } finally {
    probe.disconnect();
  }
}
