// The station agent as a real child process against real Redis (unique key prefix per test).
// No server runs here: the test reads the control queue and heartbeat key the server would read.
// Emulated slots; real-port cases use device paths that exist (/dev/null, /dev/zero) or do not.
import { realpath } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  STATION_CONTROL_QUEUE,
  StationRegistration,
  StationHeartbeat,
  StationUnregistration,
  stationHeartbeatKey,
} from '@station/contracts';
import {
  spawnApp,
  testRedisPrefix,
  waitFor,
  type StationApp,
  type TestRedisPrefix,
} from '@station/testkit';
import { formatJedec, MC60_FLASH_IDS } from '@station/mtk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let redisPrefix: TestRedisPrefix;
let redis: Redis;
let queue: Queue;
const agents: StationApp[] = [];

/**
 * The real agent process; its jig, firmware and journal live in a temp folder of its own. A
 * start-up failure passes `{ waitUntilReady: false }` and waits for the exit instead.
 */
async function startAgent(env: Record<string, string>, options?: { waitUntilReady: false }) {
  const agent = await spawnApp('station', { REDIS_PREFIX: redisPrefix.prefix, ...env }, options);
  agents.push(agent);
  return agent;
}

const jobsNamed = async (name: string) =>
  (await queue.getJobs(['waiting'])).filter((job) => job.name === name);

/** The heartbeat key's value as the server reads it, or null when the key is gone. */
const heartbeat = async (key: string) => {
  const value = await redis.get(key);
  return value === null ? null : StationHeartbeat.parse(JSON.parse(value));
};

beforeEach(() => {
  redisPrefix = testRedisPrefix('agent');
  redis = new Redis(redisPrefix.url);
  queue = new Queue(STATION_CONTROL_QUEUE, { connection: redis, prefix: redisPrefix.prefix });
  queue.on('error', () => {});
});

afterEach(async () => {
  // Every agent and its socat children are gone before the keys are checked for good.
  for (const agent of agents.splice(0)) await agent.dispose();
  await queue.close();
  await redis.quit();
  await redisPrefix.dispose();
});

describe('station agent', { timeout: 30_000 }, () => {
  it('registers its emulated slots, keeps a heartbeat, and says goodbye on SIGTERM', async () => {
    const agent = await startAgent({ STATION_ID: 'agent-a', EMULATOR_SLOTS: '2' });
    const [job] = await waitFor('register job', async () => {
      const jobs = await jobsNamed('station.register');
      return jobs.length > 0 && jobs;
    });
    const registration = StationRegistration.parse(job!.data);
    expect(registration).toMatchObject({
      stationId: 'agent-a',
      slots: [
        {
          slot: 1,
          port: `${agent.jigDir}/slot-01`,
          adapter: 'emulator:agent-a/slot-01',
          power: 'emulator',
        },
        {
          slot: 2,
          port: `${agent.jigDir}/slot-02`,
          adapter: 'emulator:agent-a/slot-02',
          power: 'emulator',
        },
      ],
    });
    // EMULATOR mode writes the demo package into the temp FIRMWARE_DIR and announces it.
    expect(registration.packages).toEqual([
      {
        packageId: 'demo-MC60CAR01A13',
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
        revision: 'MC60CAR01A13',
        platform: expect.any(String),
        // The flash parts the demo cfg allows, as the registry records them.
        allowedFlashIds: MC60_FLASH_IDS.map(formatJedec),
      },
    ]);
    // The emulated jig is real: each slot port is a link to a live pseudo-terminal.
    for (const slot of registration.slots) {
      expect(await realpath(slot.port)).toMatch(/^\/dev\/pts\/\d+$/);
    }
    const key = stationHeartbeatKey(redisPrefix.prefix, 'agent-a');
    // An idle station: nothing flashing, nothing waiting for the server, every port present.
    expect(await heartbeat(key)).toEqual({
      v: 1,
      bootId: registration.bootId,
      active: [],
      unconfirmed: [],
      offlineSlots: [],
    });
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);

    expect(await agent.stop()).toEqual({ code: 0, signal: null });
    expect(await redis.exists(key)).toBe(0);
    const [goodbye] = await jobsNamed('station.unregister');
    expect(StationUnregistration.parse(goodbye!.data)).toEqual({
      v: 1,
      stationId: 'agent-a',
      bootId: registration.bootId,
      reason: 'shutdown',
    });
    expect(agent.current.stderr()).toBe('');
    expect(agent.current.stdout()).not.toMatch(/"level":(50|60)/);
  });

  it('registers again when its heartbeat key is lost (e.g. Redis restarted empty)', async () => {
    await startAgent({
      STATION_ID: 'agent-b',
      EMULATOR_SLOTS: '1',
      HEARTBEAT_INTERVAL_MS: '200',
      HEARTBEAT_TTL_MS: '5000',
    });
    const key = stationHeartbeatKey(redisPrefix.prefix, 'agent-b');
    await waitFor(
      'first registration',
      async () => (await jobsNamed('station.register')).length === 1,
    );
    await redis.del(key);
    const jobs = await waitFor('second registration', async () => {
      const found = await jobsNamed('station.register');
      return found.length === 2 && found;
    });
    const bootIds = new Set(jobs.map((job) => StationRegistration.parse(job.data).bootId));
    expect(bootIds.size).toBe(1);
    expect((await heartbeat(key))?.bootId).toBe([...bootIds][0]);
  });

  it('registers real ports with their power mode', async () => {
    await startAgent({
      STATION_ID: 'agent-c',
      EMULATOR: 'false',
      SERIAL_PORTS: '1=/dev/null,2=/dev/zero',
      SLOT_POWER: 'rts',
    });
    const [job] = await waitFor('register job', async () => {
      const jobs = await jobsNamed('station.register');
      return jobs.length > 0 && jobs;
    });
    expect(StationRegistration.parse(job!.data).slots).toEqual([
      { slot: 1, port: '/dev/null', adapter: null, power: 'rts' },
      { slot: 2, port: '/dev/zero', adapter: null, power: 'rts' },
    ]);
  });

  it('exits 1 naming every configured serial port that does not exist', async () => {
    const agent = await startAgent(
      {
        STATION_ID: 'agent-d',
        EMULATOR: 'false',
        SERIAL_PORTS: '1=/dev/null,2=/dev/serial/by-path/no-such-adapter,3=/dev/ttyNOPE9',
      },
      { waitUntilReady: false },
    );
    expect(await agent.current.waitForExit()).toEqual({ code: 1, signal: null });
    expect(agent.current.stderr().trim()).toBe(
      'SERIAL_PORTS names ports that do not exist (slot 2: /dev/serial/by-path/no-such-adapter, slot 3: /dev/ttyNOPE9): check the adapter is plugged in and the path under /dev/serial/by-path is right.',
    );
    expect(await queue.count()).toBe(0);
  });

  it('exits 1 with one sentence when Redis is unreachable', async () => {
    const agent = await startAgent(
      { STATION_ID: 'agent-e', REDIS_URL: 'redis://127.0.0.1:1' },
      { waitUntilReady: false },
    );
    expect(await agent.current.waitForExit()).toEqual({ code: 1, signal: null });
    expect(agent.current.stderr().trim()).toBe(
      'Redis is not reachable at 127.0.0.1:1 (REDIS_URL): start the local service (`service redis-server start`) or set REDIS_URL to where it runs.',
    );
  });
});
