// deploy/prometheus/alerts.yml against what is really exported (issue #12 §2): the rules file
// parses, prometheus.yml loads it and compose mounts it beside it, every alert kind the server
// evaluates has a rule of its own, and every metric a rule's expression names is one the server
// or a station agent really exports, read from a real scrape of each: the real server runtime
// (own Postgres database and Redis prefix) and the station agent as a child process with its own
// /metrics listener. Nothing is mocked.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AlertKind } from '@station/contracts';
import { freePort, repoRoot, type StationApp } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startStationFor, startTestServer, type TestServer } from './helpers';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const PROMETHEUS_DIR = join(repoRoot, 'deploy/prometheus');
/** Series Prometheus makes itself for every target, not exported by anyone. */
const PROMETHEUS_OWN = new Set(['up']);
const PROMQL_WORDS = new Set(
  'sum min max avg count by without on ignoring group_left group_right and or unless bool offset rate irate increase delta abs clamp_min clamp_max histogram_quantile time vector scalar'.split(
    ' ',
  ),
);

/** The metric names an expression reads: label matchers, ranges, label lists and words removed. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const words = stripped.match(/[a-zA-Z_:][\w:]*/g) ?? [];
  return [...new Set(words.filter((w) => !PROMQL_WORDS.has(w)))];
}

/** Every name a scrape exports: `# TYPE` lines, with a histogram's series names. */
function exportedNames(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
    type === 'histogram' || type === 'summary'
      ? [name!, `${name}_bucket`, `${name}_sum`, `${name}_count`]
      : [name!],
  );
}

let server: TestServer;
let agent: StationApp | undefined;
let stationMetricsUrl: string;
let rules: Rule[];

beforeAll(async () => {
  const file = parse(await readFile(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  };
  rules = file.groups.flatMap((group) => group.rules);
  server = await startTestServer();
  const port = await freePort();
  stationMetricsUrl = `http://127.0.0.1:${port}/metrics`;
  agent = await startStationFor(server, 'rules-1', { METRICS_PORT: String(port) });
}, 120_000);

afterAll(async () => {
  await agent?.dispose();
  await server?.close();
}, 60_000);

describe('the Prometheus alert rules', () => {
  it('are loaded by prometheus.yml, and compose mounts them beside it', async () => {
    const config = parse(await readFile(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as {
      rule_files?: string[];
    };
    expect(config.rule_files).toEqual(['alerts.yml']);
    const compose = await readFile(join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro');
  });

  it('cover every alert kind the server evaluates, each with a severity and an action', () => {
    expect(rules.length).toBeGreaterThan(AlertKind.options.length);
    for (const kind of AlertKind.options)
      expect(
        rules.some((r) => r.labels?.kind === kind),
        kind,
      ).toBe(true);
    for (const rule of rules) {
      expect(rule.alert, JSON.stringify(rule)).toMatch(/^FlashStation[A-Za-z]+$/);
      expect(rule.annotations?.description, rule.alert).toBeTruthy();
      // The forwarded server alerts carry the series' own severity label.
      if (rule.alert !== 'FlashStationAlert')
        expect(['warning', 'critical'], rule.alert).toContain(rule.labels?.severity);
    }
  });

  it('name only metrics the server or a station really exports', async () => {
    const supervisor = await server.signIn('supervisor');
    const serverText = await (
      await fetch(`${server.baseUrl}/metrics`, { headers: { cookie: supervisor } })
    ).text();
    const stationText = await (await fetch(stationMetricsUrl)).text();
    const exported = new Set([...exportedNames(serverText), ...exportedNames(stationText)]);
    // The scrape is real: the server's alert gauge and the station's byte counter are in it.
    expect(exported).toContain('flashstation_alert_active');
    expect(exported).toContain('flashstation_station_serial_bytes_written_total');

    const named = rules.flatMap((rule) => metricNames(rule.expr).map((name) => [rule.alert, name]));
    expect(named.length).toBeGreaterThanOrEqual(rules.length);
    const unknown = named.filter(([, name]) => !exported.has(name!) && !PROMETHEUS_OWN.has(name!));
    expect(unknown).toEqual([]);
  });

  it('the name reader finds a misspelt metric (the check can fail)', () => {
    expect(
      metricNames(
        'sum by (station) (increase(flashstation_attempt_total{outcome="passed"}[1h])) > 0.5',
      ),
    ).toEqual(['flashstation_attempt_total']);
  });
});
