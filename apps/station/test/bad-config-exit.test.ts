// The real agent process refusing a bad configuration: exit 1 with the problems as sentences on
// stderr, no stack trace, before it touches Redis or a port (here: /metrics off loopback without
// METRICS_TOKEN, docs/security.md "Metrics").
import { spawnApp, type StationApp } from '@station/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const agents: StationApp[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.dispose();
});

describe('station start-up with a bad configuration', { timeout: 60_000 }, () => {
  it('exits 1 naming METRICS_TOKEN when /metrics would listen beyond loopback without it', async () => {
    const agent = await spawnApp(
      'station',
      { METRICS_PORT: '0', METRICS_HOST: '0.0.0.0', REDIS_URL: 'redis://127.0.0.1:1' },
      { waitUntilReady: false },
    );
    agents.push(agent);
    expect(await agent.current.waitForExit()).toEqual({ code: 1, signal: null });
    expect(agent.current.stderr().trim()).toBe(
      'Invalid station configuration:\n  - METRICS_TOKEN is required when METRICS_HOST (0.0.0.0) is not a loopback address: anyone on that network could read /metrics; set 24+ characters (openssl rand -hex 24 makes one) and give Prometheus the same (docs/operations.md "Metrics")',
    );
  });
});
