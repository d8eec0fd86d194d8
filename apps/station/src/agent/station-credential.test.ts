// Reading the station's secret at start, from real files in a temp folder. Nothing is mocked and
// nothing connects: the Redis URL is only built here (the agent tests use it against Redis).
import { writeFile } from 'node:fs/promises';
import { EnvError } from '@station/runtime';
import { tempDir, type TempDir } from '@station/testkit';
import { deriveStationKeys, newStationSecret, stationRedisUser } from '@station/trust';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASK_FOR_CREDENTIAL, parseEnv } from '../env';
import { loadStationCredential } from './station-credential';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('station-credential');
});
afterEach(() => dir.dispose());

const failure = (source: Record<string, string>) =>
  loadStationCredential(parseEnv(source)).then(
    () => {
      throw new Error('expected the credential to be refused');
    },
    (error: unknown) => error,
  );

describe('loadStationCredential', () => {
  it('reads STATION_SECRET_FILE (trailing newline trimmed) into the keys and the station user URL', async () => {
    const secret = newStationSecret();
    const file = dir.join('secret');
    await writeFile(file, `${secret}\n`);
    const credential = await loadStationCredential(
      parseEnv({ STATION_ID: 'line-3', REDIS_PREFIX: 'fs', STATION_SECRET_FILE: file }),
    );
    const keys = deriveStationKeys(secret);
    expect(credential).toMatchObject(keys);
    const url = new URL(credential.redisUrl);
    expect(decodeURIComponent(url.username)).toBe(stationRedisUser('fs', 'line-3'));
    expect(decodeURIComponent(url.password)).toBe(keys.redisPassword);
    expect(url.host).toBe('127.0.0.1:6379');
  });

  it('takes STATION_SECRET as it is', async () => {
    const secret = newStationSecret();
    expect(await loadStationCredential(parseEnv({ STATION_SECRET: secret }))).toMatchObject(
      deriveStationKeys(secret),
    );
  });

  it('says which file is missing (the default one too) and how to get a credential', async () => {
    const missing = dir.join('nope');
    const error = await failure({ STATION_SECRET_FILE: missing });
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toBe(
      `Invalid station configuration:\n  - STATION_SECRET_FILE "${missing}" cannot be read (ENOENT): ${ASK_FOR_CREDENTIAL}`,
    );
    expect(((await failure({ STATION_ID: 'no-such-station-x' })) as Error).message).toContain(
      'STATION_SECRET_FILE ".run/station-secrets/no-such-station-x" cannot be read (ENOENT)',
    );
    expect(((await failure({ STATION_SECRET_FILE: dir.path })) as Error).message).toContain(
      `STATION_SECRET_FILE "${dir.path}" cannot be read (EISDIR)`,
    );
  });

  it('refuses a file that does not hold a secret, without printing what it holds', async () => {
    const file = dir.join('secret');
    const wrong = `${newStationSecret()}x`;
    await writeFile(file, `${wrong}\n`);
    const message = ((await failure({ STATION_SECRET_FILE: file })) as Error).message;
    expect(message).toBe(
      `Invalid station configuration:\n  - STATION_SECRET_FILE "${file}" must be the secret an admin created for the station ("fss_" and 43 base64url characters, 48 characters given): ${ASK_FOR_CREDENTIAL}`,
    );
    expect(message).not.toContain(wrong);
  });
});
