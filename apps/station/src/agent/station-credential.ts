// The station's one secret, turned into what the agent uses: the key it signs and checks messages
// with, and its own Redis user's URL (packages/trust). Read at start, so a missing or wrong
// secret stops the agent with one sentence before anything connects.
import { readFile } from 'node:fs/promises';
import { EnvError } from '@station/runtime';
import {
  deriveStationKeys,
  stationRedisUrl,
  stationSecretProblem,
  type StationKeys,
} from '@station/trust';
import { ASK_FOR_CREDENTIAL, type StationEnv } from '../env';

export interface StationCredential extends StationKeys {
  /** REDIS_URL with the station's own ACL user and password. */
  redisUrl: string;
}

type CredentialEnv = Pick<
  StationEnv,
  'STATION_ID' | 'REDIS_URL' | 'REDIS_PREFIX' | 'STATION_SECRET' | 'STATION_SECRET_FILE'
>;

/** The secret from STATION_SECRET or STATION_SECRET_FILE; an EnvError naming it when unusable. */
async function readSecret(env: CredentialEnv): Promise<string> {
  // env.ts checked STATION_SECRET already and set STATION_SECRET_FILE whenever it is unset.
  if (env.STATION_SECRET !== undefined) return env.STATION_SECRET;
  const file = env.STATION_SECRET_FILE!;
  const fail = (problem: string): never => {
    throw new EnvError('station configuration', [
      `STATION_SECRET_FILE "${file}" ${problem}: ${ASK_FOR_CREDENTIAL}`,
    ]);
  };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  // A file written by an editor or `echo` ends with a newline; the secret never does.
  const secret = text.replace(/\r?\n$/, '');
  const problem = stationSecretProblem(secret);
  return problem ? fail(problem) : secret;
}

export async function loadStationCredential(env: CredentialEnv): Promise<StationCredential> {
  const keys = deriveStationKeys(await readSecret(env));
  return {
    ...keys,
    redisUrl: stationRedisUrl(env.REDIS_URL, env.REDIS_PREFIX, env.STATION_ID, keys.redisPassword),
  };
}
