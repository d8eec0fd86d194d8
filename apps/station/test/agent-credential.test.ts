// The station agent's credential, with the real agent process against real Redis (unique prefix
// per test) and station Redis users made as an admin's would be (provisionStation). No server
// runs: the test adds signed jobs and reads the results stream as a server would.
import {
  FlashRunJob,
  STREAM_MESSAGE_FIELD,
  flashQueueName,
  stationControlStream,
  stationResultsStream,
  type StationResultMessage,
} from '@station/contracts';
import {
  labelImei,
  provisionStation,
  spawnApp,
  testRedisPrefix,
  waitFor,
  type StationApp,
  type TestRedisPrefix,
} from '@station/testkit';
import {
  applyStationAcl,
  newStationSecret,
  removeStationAcl,
  sha256Hex,
  signMessage,
  stationRedisUser,
} from '@station/trust';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PACKAGE_ID, listStationPackages } from '../src/jobs/firmware-store';

let redisPrefix: TestRedisPrefix;
let redis: Redis;
const agents: StationApp[] = [];

beforeEach(() => {
  redisPrefix = testRedisPrefix('agent-cred');
  redis = new Redis(redisPrefix.url);
});

afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.dispose();
  await redis.quit();
  await redisPrefix.dispose();
});

async function startAgent(env: Record<string, string>, options?: { waitUntilReady: false }) {
  const agent = await spawnApp('station', { REDIS_PREFIX: redisPrefix.prefix, ...env }, options);
  agents.push(agent);
  return agent;
}

const exitSentence = async (agent: StationApp) => {
  expect(await agent.current.waitForExit()).toEqual({ code: 1, signal: null });
  return agent.current.stderr().trim();
};

/** `CLIENT LIST` entries of one station's connections (named after it, or its queue's prefix). */
async function stationClients(stationId: string): Promise<{ name: string; user: string }[]> {
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  return list
    .split('\n')
    .map((line) => Object.fromEntries(line.split(' ').map((field) => field.split('=', 2))))
    .filter(
      (client: Record<string, string>) =>
        client.name?.endsWith(`-${stationId}`) || client.name?.startsWith(`${redisPrefix.prefix}:`),
    )
    .map((client: Record<string, string>) => ({ name: client.name!, user: client.user! }));
}

/** A published result (its signature is checked in agent-registration and worker tests). */
async function resultOf(stationId: string, attemptId: string) {
  const entries = await redis.xrange(stationResultsStream(redisPrefix.prefix, stationId), '-', '+');
  return entries
    .map(([, fields]) => fields[fields.indexOf(STREAM_MESSAGE_FIELD) + 1]!)
    .map((text) => JSON.parse(text) as StationResultMessage)
    .find((m) => m.result.attemptId === attemptId);
}

describe('station credential', { timeout: 60_000 }, () => {
  it("exits 1 with one sentence when Redis refuses the station's secret", async () => {
    await provisionStation({ stationId: 'cred-a', prefix: redisPrefix.prefix });
    const agent = await startAgent(
      { STATION_ID: 'cred-a', STATION_SECRET: newStationSecret() },
      { waitUntilReady: false },
    );
    expect(await exitSentence(agent)).toBe(
      "Redis refused station cred-a's credential (WRONGPASS): ask an admin to create the station's credential (POST /api/stations) and put it in STATION_SECRET_FILE, or, if Redis was restarted, start a server first so it re-creates the station's Redis user.",
    );
    expect(await redis.exists(stationControlStream(redisPrefix.prefix, 'cred-a'))).toBe(0);
  });

  it('exits 1 naming the secret file when it has none', async () => {
    const agent = await startAgent({ STATION_ID: 'cred-b' }, { waitUntilReady: false });
    expect(await exitSentence(agent)).toBe(
      `Invalid station configuration:\n  - STATION_SECRET_FILE ".run/station-secrets/cred-b" cannot be read (ENOENT): ask an admin to create the station's credential (POST /api/stations) and put it in STATION_SECRET_FILE`,
    );
  });

  it('connects only as its own Redis user, and rides out a revoked credential until it is back', async () => {
    const station = await provisionStation({ stationId: 'cred-c', prefix: redisPrefix.prefix });
    const agent = await startAgent({ STATION_ID: 'cred-c', EMULATOR_SLOTS: '1', ...station.env });
    const clients = await stationClients('cred-c');
    // Its main connection, the flash worker's and BullMQ's blocking one.
    expect(clients.length).toBeGreaterThanOrEqual(3);
    for (const client of clients)
      expect(client.user, client.name).toBe(stationRedisUser(redisPrefix.prefix, 'cred-c'));

    // Revoked: Redis cuts every connection of the user and refuses it until it exists again.
    await removeStationAcl(redis, redisPrefix.prefix, 'cred-c');
    await agent.waitForLine(/"level":40.*WRONGPASS/);
    expect(agent.running()).toBe(true);
    await applyStationAcl(redis, redisPrefix.prefix, 'cred-c', sha256Hex(station.redisPassword));

    // Back: a job a server signs is flashed and its result published, through the reconnected
    // worker and outbox (BullMQ's worker waits its runRetryDelay, 15 s, after a connection error).
    const queue = new Queue(flashQueueName('cred-c'), {
      connection: redis,
      prefix: redisPrefix.prefix,
    });
    try {
      const payload = {
        v: 1,
        attemptId: 'cred-c-attempt-1',
        stationId: 'cred-c',
        slot: 1,
        imei: labelImei(1),
        packageId: DEMO_PACKAGE_ID,
        packageSha256: (await listStationPackages(agent.firmwareDir, () => {}))[0]!.digest,
        baud: 921600,
        retryOf: null,
      };
      await queue.add(FlashRunJob.name, signMessage(station.signingKey, 'job', payload));
      const result = await waitFor(
        'the result after the credential came back',
        () => resultOf('cred-c', payload.attemptId),
        { timeoutMs: 40_000 },
      );
      expect(result.result.outcome).toBe('passed');
    } finally {
      await queue.close();
    }
    expect(agent.current.stderr()).toBe('');
  });
});
