// The station's real /metrics listener on 127.0.0.1 with a real prom-client registry: without
// METRICS_TOKEN it answers anyone (loopback only, env.ts sees to that); with one, only a scrape
// carrying exactly that bearer token. Nothing is mocked.
import { createLogger } from '@station/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsListener, type MetricsListener } from './metrics-listener';
import { createStationMetrics } from './station-metrics';

const TOKEN = 'station-scrape-token-0123456789abcdef';
const logger = createLogger({ name: 'station', level: 'silent' });
let listener: MetricsListener | undefined;

afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

async function start(token?: string): Promise<string> {
  const { registry } = createStationMetrics({
    stationId: 'jig-7',
    slots: [1],
    offlineSlots: () => [],
    openSlots: () => [],
    unconfirmedCount: () => 0,
  });
  listener = await startMetricsListener({ registry, host: '127.0.0.1', port: 0, token, logger });
  return `http://127.0.0.1:${listener.address.port}/metrics`;
}

const statusOf = async (url: string, authorization?: string, method = 'GET') =>
  (await fetch(url, { method, headers: authorization ? { authorization } : {} })).status;

describe('station /metrics listener', { timeout: 20_000 }, () => {
  it('serves the registry to anyone when no token is set', async () => {
    const url = await start();
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(
      'flashstation_station_slots{state="idle",station="jig-7"} 1',
    );
  });

  it('answers 401 without the bearer token, and 200 with exactly it', async () => {
    const url = await start(TOKEN);
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect(await refused.text()).not.toContain('flashstation_');
    for (const wrong of [
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}x`,
      `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}`,
      TOKEN,
      'Bearer ',
    ])
      expect(await statusOf(url, wrong), wrong).toBe(401);
    expect(await statusOf(url, undefined, 'HEAD')).toBe(401);

    const scraped = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('flashstation_station_slots');
    expect(await statusOf(url, `Bearer ${TOKEN}`, 'HEAD')).toBe(200);
  });

  it('still serves nothing but GET /metrics, token or not', async () => {
    const url = await start(TOKEN);
    const other = url.replace('/metrics', '/');
    expect(await statusOf(other, `Bearer ${TOKEN}`)).toBe(404);
    expect(await statusOf(url, `Bearer ${TOKEN}`, 'POST')).toBe(404);
  });
});
