// A station credential for a test, made the way an admin's would be (docs/security.md
// "Stations"): a fresh secret, the station's Redis ACL user on the test's prefix, and, when the
// test has a database, the station row holding the signing key the servers check messages with.
import {
  applyStationAcl,
  deriveStationKeys,
  newStationSecret,
  sha256Hex,
  type StationKeys,
} from '@station/trust';
import { Redis } from 'ioredis';
import { LOCAL_REDIS_URL } from './redis-prefix';

export interface ProvisionedStation extends StationKeys {
  stationId: string;
  secret: string;
  /** What a station process needs besides STATION_ID, REDIS_URL and REDIS_PREFIX. */
  env: { STATION_SECRET: string };
}

export async function provisionStation(options: {
  stationId: string;
  prefix: string;
  redisUrl?: string;
  /** The test's database: the station row gets the credential (as POST /api/stations does). */
  databaseUrl?: string;
  name?: string;
}): Promise<ProvisionedStation> {
  const secret = newStationSecret();
  const keys = deriveStationKeys(secret);
  const redis = new Redis(options.redisUrl ?? LOCAL_REDIS_URL, { lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await applyStationAcl(redis, options.prefix, options.stationId, sha256Hex(keys.redisPassword));
  } finally {
    redis.disconnect();
  }
  if (options.databaseUrl) {
    // Loaded only here: most tests that import testkit need no Prisma client.
    const { createPrismaClient, stationCredentialRepository } = await import('@station/db');
    const prisma = createPrismaClient(options.databaseUrl);
    try {
      await stationCredentialRepository.issue(prisma, {
        code: options.stationId,
        name: options.name,
        signingKey: keys.signingKey,
        redisPasswordSha256: sha256Hex(keys.redisPassword),
      });
    } finally {
      await prisma.$disconnect();
    }
  }
  return { stationId: options.stationId, secret, ...keys, env: { STATION_SECRET: secret } };
}
