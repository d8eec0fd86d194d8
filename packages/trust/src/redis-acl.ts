// Each station talks to Redis as its own ACL user that may touch only its own keys: its streams,
// confirmations and heartbeat (`<prefix>:station:<id>:*`) and its BullMQ flash queue
// (`<prefix>:flash-<id>:*`). Another station's queue, the servers' keys and admin commands are
// refused by Redis itself, whatever the station's software does.
import { flashQueueName, StationId } from '@station/contracts';
import type { Redis } from 'ioredis';

/** The station's Redis user name (prefixes keep several lines apart on one Redis). */
export const stationRedisUser = (prefix: string, stationId: StationId): string =>
  `${prefix}:station:${StationId.parse(stationId)}`;

/** Key patterns the station's user may read and write. */
export const stationKeyPatterns = (prefix: string, stationId: StationId): string[] => [
  `${prefix}:station:${StationId.parse(stationId)}:*`,
  `${prefix}:${flashQueueName(stationId)}:*`,
];

/**
 * `ACL SETUSER` arguments: `reset` first, so a rotated credential drops the old password and
 * nothing granted earlier survives. Every command but the dangerous ones (admin, KEYS, FLUSHALL,
 * CONFIG, CLIENT LIST/KILL, ...); INFO is given back because ioredis's ready check and BullMQ's
 * version check read it. No pub/sub channels: nothing the station runs uses them.
 */
export const stationAclRules = (
  prefix: string,
  stationId: StationId,
  redisPasswordSha256: string,
): string[] => [
  'reset',
  'on',
  `#${redisPasswordSha256}`,
  'resetchannels',
  ...stationKeyPatterns(prefix, stationId).map((pattern) => `~${pattern}`),
  '+@all',
  '-@dangerous',
  '+info',
];

/** Creates or replaces the station's Redis user (run by the servers, which hold Redis admin). */
export async function applyStationAcl(
  redis: Redis,
  prefix: string,
  stationId: StationId,
  redisPasswordSha256: string,
): Promise<void> {
  await redis.call(
    'ACL',
    'SETUSER',
    stationRedisUser(prefix, stationId),
    ...stationAclRules(prefix, stationId, redisPasswordSha256),
  );
}

/** Removes the station's Redis user (credential revoked); open connections are cut by Redis. */
export async function removeStationAcl(
  redis: Redis,
  prefix: string,
  stationId: StationId,
): Promise<void> {
  await redis.call('ACL', 'DELUSER', stationRedisUser(prefix, stationId));
}

/** The station's Redis URL: the configured host and database, its own user and password. */
export function stationRedisUrl(
  redisUrl: string,
  prefix: string,
  stationId: StationId,
  redisPassword: string,
): string {
  const url = new URL(redisUrl);
  url.username = encodeURIComponent(stationRedisUser(prefix, stationId));
  url.password = encodeURIComponent(redisPassword);
  return url.toString();
}
