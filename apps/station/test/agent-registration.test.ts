// The station agent as a real child process against real Redis (unique key prefix per test), as
// its own Redis user with a credential made as an admin's would be (provisionStation). No server
// runs here: the test reads the control stream (checking each signature, as the server does) and
// the heartbeat key. Emulated slots; real-port cases use device paths that exist (/dev/null,
// /dev/zero), or links in a temp folder standing for by-path links that appear when plugged.
import { realpath, symlink, writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import {
  StationControlMessage,
  StationHeartbeat,
  STREAM_MESSAGE_FIELD,
  STREAM_SIGNATURE_FIELD,
  stationControlStream,
  stationHeartbeatKey,
} from '@station/contracts';
import {
  provisionStation,
  spawnApp,
  tempDir,
  testRedisPrefix,
  waitFor,
  type StationApp,
  type TempDir,
  type TestRedisPrefix,
} from '@station/testkit';
import { formatJedec, MC60_FLASH_IDS } from '@station/mtk';
import { openMessage } from '@station/trust';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let redisPrefix: TestRedisPrefix;
let redis: Redis;
let dir: TempDir;
const agents: StationApp[] = [];
const signingKeys = new Map<string, string>();

/**
 * The real agent process with a fresh credential (STATION_SECRET, or `secretFile` to pass it the
 * way production does); its jig, firmware and journal live in a temp folder of its own. A
 * start-up failure passes `{ waitUntilReady: false }` and waits for the exit instead.
 */
async function startAgent(
  env: Record<string, string> & { STATION_ID: string },
  options?: { waitUntilReady?: false; secretFile?: true },
) {
  const station = await provisionStation({ stationId: env.STATION_ID, prefix: redisPrefix.prefix });
  signingKeys.set(env.STATION_ID, station.signingKey);
  let secretEnv: Record<string, string> = station.env;
  if (options?.secretFile) {
    const file = dir.join(`${env.STATION_ID}.secret`);
    await writeFile(file, `${station.secret}\n`, { mode: 0o600 });
    secretEnv = { STATION_SECRET_FILE: file };
  }
  const agent = await spawnApp(
    'station',
    { REDIS_PREFIX: redisPrefix.prefix, ...secretEnv, ...env },
    options?.waitUntilReady === false ? { waitUntilReady: false } : undefined,
  );
  agents.push(agent);
  return agent;
}

/** The station's control messages, oldest first; an entry that does not verify fails the test. */
async function controlMessages(stationId: string): Promise<StationControlMessage[]> {
  const entries = await redis.xrange(stationControlStream(redisPrefix.prefix, stationId), '-', '+');
  return entries.map(([id, fields]) => {
    const opened = openMessage(signingKeys.get(stationId)!, 'control', {
      m: fields[fields.indexOf(STREAM_MESSAGE_FIELD) + 1],
      s: fields[fields.indexOf(STREAM_SIGNATURE_FIELD) + 1],
    });
    if (!opened.ok) throw new Error(`control entry ${id} does not verify: ${opened.reason}`);
    return StationControlMessage.parse(opened.message);
  });
}

const registrations = async (stationId: string) =>
  (await controlMessages(stationId)).flatMap((m) =>
    m.type === 'register' ? [m.registration] : [],
  );

/** The heartbeat key's value as the server reads it, or null when the key is gone. */
const heartbeat = async (key: string) => {
  const value = await redis.get(key);
  return value === null ? null : StationHeartbeat.parse(JSON.parse(value));
};

beforeEach(async () => {
  redisPrefix = testRedisPrefix('agent');
  redis = new Redis(redisPrefix.url);
  dir = await tempDir('agent-secrets');
});

afterEach(async () => {
  // Every agent and its socat children are gone before the keys are checked for good.
  for (const agent of agents.splice(0)) await agent.dispose();
  await redis.quit();
  await redisPrefix.dispose();
  await dir.dispose();
});

describe('station agent', { timeout: 30_000 }, () => {
  it('registers its emulated slots, signed, keeps a heartbeat, and says goodbye on SIGTERM', async () => {
    // The secret from a file, as a station PC keeps it.
    const agent = await startAgent(
      { STATION_ID: 'agent-a', EMULATOR_SLOTS: '2' },
      { secretFile: true },
    );
    const registration = await waitFor(
      'registration',
      async () => (await registrations('agent-a'))[0],
    );
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
    expect((await controlMessages('agent-a')).at(-1)).toEqual({
      type: 'unregister',
      unregistration: {
        v: 1,
        stationId: 'agent-a',
        bootId: registration.bootId,
        reason: 'shutdown',
      },
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
    await waitFor('first registration', async () => (await registrations('agent-b')).length === 1);
    await redis.del(key);
    const found = await waitFor('second registration', async () => {
      const all = await registrations('agent-b');
      return all.length === 2 && all;
    });
    const bootIds = new Set(found.map((registration) => registration.bootId));
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
    const registration = await waitFor(
      'registration',
      async () => (await registrations('agent-c'))[0],
    );
    expect(registration.slots).toEqual([
      { slot: 1, port: '/dev/null', adapter: null, power: 'rts' },
      { slot: 2, port: '/dev/zero', adapter: null, power: 'rts' },
    ]);
  });

  it('starts with a missing adapter offline, serves the rest, and re-registers the slot when it comes', async () => {
    const socket = dir.join('by-path-slot-2');
    await startAgent({
      STATION_ID: 'agent-d',
      EMULATOR: 'false',
      SERIAL_PORTS: `1=/dev/null,2=${socket}`,
      SLOT_POWER: 'manual',
    });
    const first = await waitFor('registration', async () => (await registrations('agent-d'))[0]);
    expect(first.slots).toEqual([
      { slot: 1, port: '/dev/null', adapter: null, power: 'manual' },
      { slot: 2, port: socket, adapter: null, power: 'manual', online: false },
    ]);
    const key = stationHeartbeatKey(redisPrefix.prefix, 'agent-d');
    expect((await heartbeat(key))?.offlineSlots).toEqual([2]);

    // The adapter is plugged in while the station runs: its link appears.
    await writeFile(dir.join('adapter-2'), '');
    await symlink(dir.join('adapter-2'), socket);
    const again = await waitFor('registration after the re-plug', async () => {
      const all = await registrations('agent-d');
      return all.length >= 2 && all.at(-1);
    });
    expect(again.slots[1]).toEqual({ slot: 2, port: socket, adapter: null, power: 'manual' });
    expect(again.bootId).toBe(first.bootId);
    await waitFor('heartbeat shows no offline slot', async () => {
      const beat = await heartbeat(key);
      return beat?.offlineSlots.length === 0;
    });
  });

  it('exits 1 refusing a plug-order ttyUSBn name as a slot adapter', async () => {
    const agent = await startAgent(
      { STATION_ID: 'agent-f', EMULATOR: 'false', SERIAL_PORTS: '1=/dev/null,2=/dev/ttyUSB0' },
      { waitUntilReady: false },
    );
    expect(await agent.current.waitForExit()).toEqual({ code: 1, signal: null });
    expect(agent.current.stderr()).toContain(
      'SERIAL_PORTS slot 2 names /dev/ttyUSB0, which changes with plug order: use its /dev/serial/by-path/… link or usb-serial:<serial number>',
    );
    expect(await controlMessages('agent-f')).toEqual([]);
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
