// /metrics on the real stack: the real server runtime (own Postgres database and Redis prefix)
// and the station agent as a child process flashing an emulated module, each with its own
// /metrics. After a real flash the server counts the attempt with its outcome, observes its
// stages and reads queue depth, slots and the result streams at scrape time; the station shows
// its slots and the bytes it wrote. Prometheus' token opens /metrics and nothing else; without
// it, or with another one, /metrics is refused; the station's listener likewise wants its own
// METRICS_TOKEN. Nothing is mocked.
import { randomBytes } from 'node:crypto';
import { flashQueueName } from '@station/contracts';
import { freePort, labelImei, waitFor, type StationApp } from '@station/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFlashJob, startStationFor, startTestServer, type TestServer } from './helpers';
import { parsePrometheusText, sampleValue, type Sample } from './prometheus-text';

const STATION = 'metrics-1';
const token = randomBytes(24).toString('hex');
const stationToken = randomBytes(24).toString('hex');

let server: TestServer;
let agent: StationApp | undefined;
let stationMetricsUrl: string;
let supervisor: string;
let attemptId: string;

const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  fetch(`${server.baseUrl}/metrics`, { headers });
const serverSamples = async (): Promise<Sample[]> => {
  const response = await scrape();
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
};
const stationSamples = async (): Promise<Sample[]> => {
  const response = await fetch(stationMetricsUrl, {
    headers: { authorization: `Bearer ${stationToken}` },
  });
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
};

beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN: token });
  const port = await freePort();
  stationMetricsUrl = `http://127.0.0.1:${port}/metrics`;
  agent = await startStationFor(server, STATION, {
    METRICS_PORT: String(port),
    METRICS_TOKEN: stationToken,
  });
  supervisor = await server.signIn('supervisor');
  const scan = await postFlashJob(server, supervisor, {
    stationId: STATION,
    slot: 1,
    imei: labelImei(1),
  });
  expect(scan.status).toBe(202);
  attemptId = (scan.body as { attemptId: string }).attemptId;
  await waitFor(
    'the flash result stored',
    async () =>
      (await server.db.prisma.flashAttempt.findUnique({ where: { id: attemptId } }))?.endedAt,
    { timeoutMs: 120_000 },
  );
}, 240_000);

afterAll(async () => {
  await agent?.dispose();
  await server?.close();
}, 60_000);

describe('the server’s /metrics after a real flash', { timeout: 60_000 }, () => {
  it('counts the stored attempt by outcome and error, with its flash and stage durations', async () => {
    const attempt = await server.db.prisma.flashAttempt.findUniqueOrThrow({
      where: { id: attemptId },
    });
    expect(attempt.outcome).toBe('passed');
    const samples = await serverSamples();
    const at = { station: STATION };
    expect(
      sampleValue(samples, 'flashstation_attempts_total', {
        ...at,
        outcome: 'passed',
        error_name: 'none',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'flashstation_flash_duration_seconds_count', {
        ...at,
        outcome: 'passed',
      }),
    ).toBe(1);
    // Every stage the station timed is one observation of its histogram, in seconds.
    const timings = attempt.stageTimings as Record<string, number>;
    expect(Object.keys(timings)).toContain('write');
    for (const [stage, ms] of Object.entries(timings)) {
      const labels = { ...at, stage };
      expect(sampleValue(samples, 'flashstation_stage_duration_seconds_count', labels)).toBe(1);
      expect(sampleValue(samples, 'flashstation_stage_duration_seconds_sum', labels)).toBeCloseTo(
        ms / 1000,
        6,
      );
    }
    const totalS = Object.values(timings).reduce((a, b) => a + b, 0) / 1000;
    expect(
      sampleValue(samples, 'flashstation_flash_duration_seconds_sum', { ...at, outcome: 'passed' }),
    ).toBeCloseTo(totalS, 6);
  });

  it('reads the line at scrape time: slots by state, results waiting, event-loop lag', async () => {
    const samples = await serverSamples();
    const at = { station: STATION };
    expect(sampleValue(samples, 'flashstation_slots', { ...at, state: 'active' })).toBe(2);
    for (const state of ['suspect', 'offline', 'disabled'])
      expect(sampleValue(samples, 'flashstation_slots', { ...at, state })).toBe(0);
    expect(sampleValue(samples, 'flashstation_slots_flashing', at)).toBe(0);
    // The result was stored, so its stream entry is gone.
    expect(sampleValue(samples, 'flashstation_results_waiting', at)).toBe(0);
    expect(sampleValue(samples, 'flashstation_results_pending', at)).toBe(0);
    for (const source of ['queues', 'slots', 'results'])
      expect(sampleValue(samples, 'flashstation_metrics_source_up', { source })).toBe(1);
    expect(sampleValue(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it("shows a station's queue depth as BullMQ counts it", async () => {
    // A job the station cannot take for an hour: queue depth the scrape must read from Redis.
    const connection = new Redis(server.env.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(flashQueueName(STATION), {
      connection,
      prefix: server.env.REDIS_PREFIX,
    });
    try {
      const job = await queue.add('metrics-probe', {}, { delay: 3_600_000 });
      const samples = await serverSamples();
      expect(
        sampleValue(samples, 'flashstation_queue_jobs', { station: STATION, state: 'delayed' }),
      ).toBe(1);
      expect(
        sampleValue(samples, 'flashstation_queue_jobs', { station: STATION, state: 'waiting' }),
      ).toBe(0);
      await job.remove();
      const after = await serverSamples();
      expect(
        sampleValue(after, 'flashstation_queue_jobs', { station: STATION, state: 'delayed' }),
      ).toBe(0);
    } finally {
      await queue.close();
      await connection.quit();
    }
  });
});

describe('who may read /metrics', () => {
  it('refuses it without a credential and with another token; a session needs supervisor', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer ' })).status).toBe(401);
    const operator = await server.signIn({ badge: '0001', stationId: STATION });
    const refused = await scrape({ cookie: operator });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: { message: 'Your role operator may not read metrics' },
    });
    expect((await scrape({ cookie: supervisor })).status).toBe(200);
  });

  it('is in the OpenAPI document, with the system routes', async () => {
    const engineer = await server.signIn('engineer');
    const spec = (await (
      await fetch(`${server.baseUrl}/docs/json`, { headers: { cookie: engineer } })
    ).json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
    expect(spec.paths['/metrics']?.get?.tags).toEqual(['system']);
  });

  it('opens nothing else with the token', async () => {
    const headers = { authorization: `Bearer ${token}` };
    for (const path of ['/api/attempts?limit=1', '/api/stations', `/api/stations/${STATION}`])
      expect((await fetch(`${server.baseUrl}${path}`, { headers })).status).toBe(401);
  });
});

describe('the station’s /metrics after a real flash', { timeout: 60_000 }, () => {
  it('shows its slots, nothing in progress or unconfirmed, and the bytes written per slot', async () => {
    const attempt = await server.db.prisma.flashAttempt.findUniqueOrThrow({
      where: { id: attemptId },
    });
    const at = { station: STATION };
    // The confirmation reaches the station a poll after the commit.
    const samples = await waitFor('the result confirmed on the station', async () => {
      const now = await stationSamples();
      return sampleValue(now, 'flashstation_station_results_unconfirmed', at) === 0 && now;
    });
    expect(sampleValue(samples, 'flashstation_station_slots', { ...at, state: 'idle' })).toBe(2);
    expect(sampleValue(samples, 'flashstation_station_slots', { ...at, state: 'flashing' })).toBe(
      0,
    );
    expect(sampleValue(samples, 'flashstation_station_slots', { ...at, state: 'offline' })).toBe(0);
    expect(sampleValue(samples, 'flashstation_station_flashes_in_progress', at)).toBe(0);
    // Slot 1 got the DA and the images (the attempt's bytesWritten counts the images only).
    const slot1 = sampleValue(samples, 'flashstation_station_serial_bytes_written_total', {
      ...at,
      slot: '1',
    });
    expect(attempt.bytesWritten).toBeGreaterThan(0);
    expect(slot1).toBeGreaterThan(attempt.bytesWritten!);
    expect(
      sampleValue(samples, 'flashstation_station_serial_bytes_written_total', { ...at, slot: '2' }),
    ).toBe(0);
    expect(sampleValue(samples, 'nodejs_eventloop_lag_seconds', at)).toBeGreaterThanOrEqual(0);
  });

  it('refuses a scrape without its METRICS_TOKEN, or with the server’s', async () => {
    const refused = await fetch(stationMetricsUrl);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain('flashstation_');
    const withServerToken = await fetch(stationMetricsUrl, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withServerToken.status).toBe(401);
  });

  it('serves nothing but /metrics', async () => {
    expect((await fetch(stationMetricsUrl.replace('/metrics', '/'))).status).toBe(404);
    expect((await fetch(stationMetricsUrl, { method: 'POST' })).status).toBe(404);
  });
});
