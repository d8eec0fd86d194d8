// A station credential for a test, made the way an admin's would be (docs/security.md
// "Stations"): a fresh secret and the station's Redis ACL user on the test's prefix; with a
// database, also the station row holding the signing key the servers check messages with,
// written by the server's own `station:credential` CLI in a separate process (the test kit does
// not import @station/db: the db package's tests use the test kit).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  applyStationAcl,
  deriveStationKeys,
  newStationSecret,
  sha256Hex,
  type StationKeys,
} from '@station/trust';
import { Redis } from 'ioredis';
import { asProcessEnv, baseChildEnv } from './env';
import { LOCAL_REDIS_URL } from './redis-prefix';
import { repoRoot } from './repo';
import { tempDir } from './temp-dir';

const run = promisify(execFile);

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
}): Promise<ProvisionedStation> {
  const secret = newStationSecret();
  const keys = deriveStationKeys(secret);
  const redisUrl = options.redisUrl ?? LOCAL_REDIS_URL;
  if (options.databaseUrl) {
    await installWithCli({ ...options, redisUrl, databaseUrl: options.databaseUrl, secret });
  } else {
    const redis = new Redis(redisUrl, { lazyConnect: true });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await applyStationAcl(
        redis,
        options.prefix,
        options.stationId,
        sha256Hex(keys.redisPassword),
      );
    } finally {
      redis.disconnect();
    }
  }
  return { stationId: options.stationId, secret, ...keys, env: { STATION_SECRET: secret } };
}

/** The CLI installs the secret it finds in the file: station row, audit event, Redis user. */
async function installWithCli(options: {
  stationId: string;
  prefix: string;
  redisUrl: string;
  databaseUrl: string;
  secret: string;
}): Promise<void> {
  const dir = await tempDir('testkit-credential');
  try {
    const file = join(dir.path, 'secret');
    await writeFile(file, `${options.secret}\n`, { mode: 0o600 });
    await run(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'apps/server/src/cli/station-credential.cli.ts'),
        options.stationId,
        '--secret-file',
        file,
      ],
      {
        cwd: repoRoot,
        timeout: 60_000,
        env: asProcessEnv({
          ...baseChildEnv(),
          DATABASE_URL: options.databaseUrl,
          REDIS_URL: options.redisUrl,
          REDIS_PREFIX: options.prefix,
        }),
      },
    ).catch((error: Error & { stderr?: string }) => {
      throw new Error(
        `issuing a credential for ${options.stationId} failed: ${error.stderr?.trim() || error.message}`,
        { cause: error },
      );
    });
  } finally {
    await dir.dispose();
  }
}
