// `npm run station:credential -- <stationId> --secret-file <path>`: on the server host, makes sure
// the station holds a credential and that the file holds its secret, for `npm start` and for
// provisioning a station PC by hand (docs/security.md "Stations"). With no file, a new credential
// is issued and written there (mode 600). With a file whose secret is not the station's current
// credential (a new database, say), that secret is installed. With a matching file, nothing
// changes. Either way the station's Redis user is (re)made. Audited as `system:cli@<host>`.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { StationId } from '@station/contracts';
import { createPrismaClient } from '@station/db';
import { createRedis, waitUntilReady } from '@station/runtime';
import { createLogger } from '@station/logger';
import {
  applyStationAcl,
  deriveStationKeys,
  sha256Hex,
  stationSecretProblem,
} from '@station/trust';

import { StationCredentialService } from '../stations/station-credential.service';

const usage = 'usage: npm run station:credential -- <stationId> --secret-file <path>';

function fail(message: string): never {
  console.error(`[station:credential] ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const fileAt = args.indexOf('--secret-file');
const file = fileAt >= 0 ? args[fileAt + 1] : undefined;
const stationId = args.find((arg, i) => !arg.startsWith('--') && i !== fileAt + 1);
if (!stationId || !file) fail(usage);
if (!StationId.safeParse(stationId).success) fail(`"${stationId}" is not a station id`);

const readSecret = async (path: string): Promise<string | undefined> => {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

// The server's configuration (DATABASE_URL, REDIS_URL, REDIS_PREFIX), validated as the server's.
const { env } = await import('../env');
const logger = createLogger({ name: 'station-credential', level: 'warn' });
const prisma = createPrismaClient(env.DATABASE_URL);
const redis = createRedis(env.REDIS_URL, logger, 'station-credential-cli');
try {
  await waitUntilReady(redis);
  const credentials = new StationCredentialService({
    prisma,
    prefix: env.REDIS_PREFIX,
    applied: async () => {},
  });
  const actor = { system: `system:cli@${hostname()}` };
  const existing = await readSecret(file);
  if (existing !== undefined && stationSecretProblem(existing))
    fail(`${file} does not hold a station secret: ${stationSecretProblem(existing)}`);
  let secret: string;
  if (existing === undefined) {
    ({ secret } = await credentials.issue({ stationId }, actor));
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    console.log(`[station:credential] issued a credential for ${stationId}: secret in ${file}`);
  } else if (await credentials.matches(stationId, existing)) {
    secret = existing;
    console.log(`[station:credential] ${stationId} already holds the credential in ${file}`);
  } else {
    ({ secret } = await credentials.issue({ stationId, secret: existing }, actor));
    console.log(`[station:credential] installed the credential in ${file} for ${stationId}`);
  }
  // Running servers re-apply it within STATION_KEYS_REFRESH_MS; the station may start now.
  const keys = deriveStationKeys(secret);
  await applyStationAcl(redis, env.REDIS_PREFIX, stationId, sha256Hex(keys.redisPassword));
} catch (error) {
  fail((error as Error).message);
} finally {
  redis.disconnect();
  await prisma.$disconnect();
}
