// The net under everything (design §9): attempts nobody holds are settled, not left to block a
// slot. Real server runtime, real station agent process, real Postgres and Redis.
import {
  flashQueueName,
  type ClientToServerEvents,
  type CreateFlashJobResponse,
  type FlashResultEvent,
  type ServerToClientEvents,
} from '@station/contracts';
import { labelImei, waitFor, type StationApp } from '@station/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFlashJob, startStationFor, startTestServer, type TestServer } from './helpers';
import { parsePrometheusText, sampleValue } from './prometheus-text';

const STATION = 'recon-1';
let server: TestServer;
let agent: StationApp;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
let cookie: string;
const results: FlashResultEvent[] = [];

const scan = async (slot: number) => {
  const answer = await postFlashJob(server, cookie, {
    stationId: STATION,
    slot,
    imei: labelImei(slot),
  });
  if (answer.status !== 202)
    throw new Error(`scan answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return (answer.body as CreateFlashJobResponse).attemptId;
};

beforeAll(async () => {
  server = await startTestServer({ ATTEMPT_LOST_GRACE_MS: '2000', RECONCILE_MS: '250' });
  agent = await startStationFor(server, STATION);
  cookie = await server.signIn('supervisor');
  socket = connect(server.baseUrl, { transports: ['websocket'], extraHeaders: { cookie } });
  socket.on('flash:result', (event) => results.push(event));
  await waitFor('socket connection', () => socket.connected);
  await socket.emitWithAck('station:watch', { v: 1, stationId: STATION });
}, 60_000);

/** The server's /metrics as the supervisor reads it. */
const metrics = async () => {
  const response = await fetch(`${server.baseUrl}/metrics`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
};

afterAll(async () => {
  socket?.disconnect();
  await agent?.dispose();
  await server?.close();
}, 60_000);

describe('attempt reconciler', () => {
  it('settles a job lost before the station took it (JOB_LOST), with the station alive', async () => {
    // Pause the station's queue so the job waits, then lose it as an emptied Redis would.
    const redis = new Redis('redis://127.0.0.1:6379');
    const queue = new Queue(flashQueueName(STATION), {
      connection: redis,
      prefix: server.env.REDIS_PREFIX,
    });
    try {
      await queue.pause();
      const attemptId = await scan(2);
      await queue.obliterate({ force: true });
      const event = await waitFor(
        'JOB_LOST result',
        () => results.find((r) => r.attemptId === attemptId),
        {
          timeoutMs: 15_000,
        },
      );
      expect(event).toMatchObject({
        outcome: 'interrupted',
        errorName: 'JOB_LOST',
        stage: 'queued',
        slot: 2,
      });
      expect(event.operatorHint).toMatch(/scan the module again/);
      const row = await server.db.prisma.flashAttempt.findUniqueOrThrow({
        where: { id: attemptId },
      });
      expect(row).toMatchObject({ outcome: 'interrupted', errorName: 'JOB_LOST' });
      // Counted by the reconciler that settled it.
      const labels = { station: STATION, outcome: 'interrupted', error_name: 'JOB_LOST' };
      expect(sampleValue(await metrics(), 'flashstation_attempts_total', labels)).toBe(1);
    } finally {
      await queue.resume().catch(() => {});
      await queue.close();
      redis.disconnect();
    }
  });

  it('settles the attempts of a station that vanished (STATION_LOST) at the stage they reached', async () => {
    const attemptId = await scan(1);
    // Wait until the flash is well under way and its stage is stored.
    const reached = await waitFor(
      'a stored stage past the queue',
      async () => {
        const row = await server.db.prisma.flashAttempt.findUniqueOrThrow({
          where: { id: attemptId },
        });
        return (
          ['da_upload', 'da_connect', 'baud', 'format', 'write'].includes(row.stageReached) &&
          row.stageReached
        );
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    await agent.kill();
    const event = await waitFor(
      'STATION_LOST result',
      () => results.find((r) => r.attemptId === attemptId),
      {
        // Heartbeat TTL (5 s) + grace (2 s) + polls.
        timeoutMs: 15_000,
      },
    );
    expect(event).toMatchObject({ outcome: 'interrupted', errorName: 'STATION_LOST', slot: 1 });
    const stages = ['da_upload', 'da_connect', 'baud', 'format', 'write', 'verify'];
    expect(stages.indexOf(event.stage)).toBeGreaterThanOrEqual(stages.indexOf(reached));
    expect(await server.db.prisma.flashAttempt.count({ where: { endedAt: null } })).toBe(0);
    // Counted once, with no durations (the station never reported any); its slots are offline.
    const samples = await metrics();
    const labels = { station: STATION, outcome: 'interrupted', error_name: 'STATION_LOST' };
    expect(sampleValue(samples, 'flashstation_attempts_total', labels)).toBe(1);
    expect(sampleValue(samples, 'flashstation_slots', { station: STATION, state: 'offline' })).toBe(
      2,
    );
    expect(sampleValue(samples, 'flashstation_slots_flashing', { station: STATION })).toBe(0);
  });
});
