// The station agent as a real child process against real Redis (unique key prefix per test).
// No server runs here: the test reads the control queue and heartbeat key the server would read.
// Emulated slots; real-port cases use device paths that exist (/dev/null, /dev/zero) or do not.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  STATION_CONTROL_QUEUE,
  StationRegistration,
  StationUnregistration,
  stationHeartbeatKey,
} from '@station/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let prefix: string;
let jigDir: string;
let firmwareDir: string;
let redis: Redis;
let queue: Queue;
const children: ReturnType<typeof spawn>[] = [];

function startAgent(env: Record<string, string>) {
  // One node process with tsx's loader, so signals reach the agent itself; detached, so it leads
  // a process group with the jig's socat children and cleanup can end them all.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `${repoRoot}apps/station/src/main.ts`],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'warn',
        REDIS_PREFIX: prefix,
        FIRMWARE_DIR: firmwareDir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', () => {});
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, exited, stderr: () => stderr };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function killGroup(child: ReturnType<typeof spawn>): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // no group (already gone): make sure the agent itself is
  }
}

const jobsNamed = async (name: string) =>
  (await queue.getJobs(['waiting'])).filter((job) => job.name === name);

beforeEach(async () => {
  prefix = `test-agent-${randomBytes(4).toString('hex')}`;
  const root = await mkdtemp(join(tmpdir(), 'agent-test-'));
  jigDir = join(root, 'jig');
  firmwareDir = join(root, 'firmware');
  redis = new Redis('redis://127.0.0.1:6379');
  queue = new Queue(STATION_CONTROL_QUEUE, { connection: redis, prefix });
  queue.on('error', () => {});
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exit = new Promise((resolve) => child.once('exit', resolve));
      killGroup(child);
      await exit;
    }
    killGroup(child); // socat children of an agent that died without closing its jig
  }
  await queue.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await rm(join(jigDir, '..'), { recursive: true, force: true });
});

describe('station agent', { timeout: 30_000 }, () => {
  it('registers its emulated slots, keeps a heartbeat, and says goodbye on SIGTERM', async () => {
    const agent = startAgent({ STATION_ID: 'agent-a', EMULATOR_SLOTS: '2', JIG_DIR: jigDir });
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
          port: `${jigDir}/slot-01`,
          adapter: 'emulator:agent-a/slot-01',
          power: 'emulator',
        },
        {
          slot: 2,
          port: `${jigDir}/slot-02`,
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
      },
    ]);
    // The emulated jig is real: each slot port is a link to a live pseudo-terminal.
    for (const slot of registration.slots) {
      expect(await realpath(slot.port)).toMatch(/^\/dev\/pts\/\d+$/);
    }
    const key = stationHeartbeatKey(prefix, 'agent-a');
    expect(await redis.get(key)).toBe(registration.bootId);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);

    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(await redis.exists(key)).toBe(0);
    const [goodbye] = await jobsNamed('station.unregister');
    expect(StationUnregistration.parse(goodbye!.data)).toEqual({
      v: 1,
      stationId: 'agent-a',
      bootId: registration.bootId,
      reason: 'shutdown',
    });
    expect(agent.stderr()).toBe('');
  });

  it('registers again when its heartbeat key is lost (e.g. Redis restarted empty)', async () => {
    startAgent({
      STATION_ID: 'agent-b',
      EMULATOR_SLOTS: '1',
      JIG_DIR: jigDir,
      HEARTBEAT_INTERVAL_MS: '200',
      HEARTBEAT_TTL_MS: '5000',
    });
    const key = stationHeartbeatKey(prefix, 'agent-b');
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
    expect(await redis.get(key)).toBe([...bootIds][0]);
  });

  it('registers real ports with their power mode', async () => {
    startAgent({
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
    const agent = startAgent({
      STATION_ID: 'agent-d',
      EMULATOR: 'false',
      SERIAL_PORTS: '1=/dev/null,2=/dev/serial/by-path/no-such-adapter,3=/dev/ttyNOPE9',
    });
    expect(await agent.exited).toBe(1);
    expect(agent.stderr().trim()).toBe(
      'SERIAL_PORTS names ports that do not exist (slot 2: /dev/serial/by-path/no-such-adapter, slot 3: /dev/ttyNOPE9): check the adapter is plugged in and the path under /dev/serial/by-path is right.',
    );
    expect(await queue.count()).toBe(0);
  });

  it('exits 1 with one sentence when Redis is unreachable', async () => {
    const agent = startAgent({ STATION_ID: 'agent-e', REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await agent.exited).toBe(1);
    expect(agent.stderr().trim()).toBe(
      'Redis is not reachable at 127.0.0.1:1 (REDIS_URL): start it with `docker compose up -d redis` or the local service (`service redis-server start`).',
    );
  });
});
