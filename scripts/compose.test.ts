// Checks docker-compose.yml against what the README promises, without a Docker engine:
// the five services, Redis that never evicts BullMQ keys, and app services wired to them; and
// its safe defaults (docs/security.md): Postgres and Redis unpublished, Redis behind a password.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createServerMetrics } from '../apps/server/src/metrics/server-metrics';
import type { LineSources } from '../apps/server/src/metrics/line-gauges';
import { createStationMetrics } from '../apps/station/src/metrics/station-metrics';

const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), {
  merge: true,
}) as { services: Record<string, Record<string, unknown>> };

/** Compose's `${NAME:-default}` / `${NAME:?message}` substitution, with `vars` as the shell. */
const interpolate = (value: string, vars: Record<string, string> = {}): string =>
  value.replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_, name: string, kind?: string, rest?: string) => {
      const set = vars[name];
      if (set) return set;
      if (kind === '-') return rest ?? '';
      throw new Error(`${name} is required: ${rest ?? ''}`);
    },
  );
const envOf = (service: string) => compose.services[service]!.environment as Record<string, string>;
/** The password Redis is started with, as compose would resolve it. */
const requirepass = (vars?: Record<string, string>) => {
  const command = compose.services.redis!.command as string[];
  const flag = command.indexOf('--requirepass');
  return flag === -1 ? undefined : interpolate(command[flag + 1]!, vars);
};

describe('docker-compose.yml', () => {
  it('defines postgres, redis, server, dashboard and an emulated station with its credential', () => {
    const always = Object.keys(compose.services).filter(
      (name) => !compose.services[name]!.profiles,
    );
    expect(always.sort()).toEqual(
      ['dashboard', 'postgres', 'redis', 'server', 'station', 'station-credential'].sort(),
    );
    const station = compose.services.station!;
    expect(station.environment).toMatchObject({ EMULATOR: 'true', EMULATOR_SLOTS: '8' });
  });

  it("keeps the station's attempt journal on a volume, so a new container still has it", () => {
    const station = compose.services.station!;
    const journal = (station.environment as Record<string, string>).JOURNAL_FILE!;
    const mounts = (station.volumes as string[]).map((v) => v.split(':')[1]!);
    expect(mounts.some((dir) => journal.startsWith(`${dir}/`))).toBe(true);
  });

  it('gives the station the secret the credential job wrote, read-only, before it starts', () => {
    const issuer = compose.services['station-credential']!;
    const station = compose.services.station!;
    const secretFile = (station.environment as Record<string, string>).STATION_SECRET_FILE!;
    expect((issuer.command as string[]).join(' ')).toContain(`--secret-file ${secretFile}`);
    const mountOf = (service: typeof station) =>
      (service.volumes as string[]).find((v) => v.startsWith('stationsecrets:'));
    expect(mountOf(issuer)).toBe('stationsecrets:/var/lib/flashstation/secrets');
    expect(mountOf(station)).toBe('stationsecrets:/var/lib/flashstation/secrets:ro');
    expect(secretFile.startsWith('/var/lib/flashstation/secrets/')).toBe(true);
    expect(station.depends_on).toMatchObject({
      'station-credential': { condition: 'service_completed_successfully' },
    });
    // The dashboard and station never see the database; the job that issues credentials does.
    expect(issuer.environment).toHaveProperty('DATABASE_URL');
    expect(station.environment).not.toHaveProperty('DATABASE_URL');
  });

  it('runs Redis with maxmemory-policy noeviction', () => {
    const command = compose.services.redis!.command as string[];
    const flag = command.indexOf('--maxmemory-policy');
    expect(flag).toBeGreaterThan(-1);
    expect(command[flag + 1]).toBe('noeviction');
  });

  it('gives the server Postgres and Redis, and the station Redis but no database credentials', () => {
    const server = compose.services.server!.environment as Record<string, string>;
    const station = compose.services.station!.environment as Record<string, string>;
    expect(server.DATABASE_URL).toBe('postgresql://postgres@postgres:5432/flashstation');
    for (const url of [server.REDIS_URL!, station.REDIS_URL!]) {
      expect(new URL(interpolate(url)).host).toBe('redis:6379');
    }
    expect(station).not.toHaveProperty('DATABASE_URL');
  });

  it('publishes no port of Postgres or Redis: only the stack reaches them', () => {
    expect(compose.services.postgres).not.toHaveProperty('ports');
    expect(compose.services.redis).not.toHaveProperty('ports');
    expect(compose.services.postgres).not.toHaveProperty('network_mode');
    expect(compose.services.redis).not.toHaveProperty('network_mode');
  });

  it('starts Redis with a password that the server, the station and the healthcheck all use', () => {
    for (const vars of [{}, { REDIS_PASSWORD: 'line-7-secret' }] as Record<string, string>[]) {
      const password = requirepass(vars);
      expect(password).toBeTruthy();
      if (vars.REDIS_PASSWORD) expect(password).toBe(vars.REDIS_PASSWORD);
      for (const service of ['server', 'station']) {
        const url = new URL(interpolate(envOf(service).REDIS_URL!, vars));
        expect(decodeURIComponent(url.password), `${service} REDIS_URL`).toBe(password);
      }
      expect(interpolate(envOf('redis').REDISCLI_AUTH!, vars)).toBe(password);
    }
    // Healthy only on a PONG: redis-cli exits 0 on NOAUTH too.
    expect((compose.services.redis!.healthcheck as { test: string[] }).test).toEqual([
      'CMD-SHELL',
      'redis-cli ping | grep -q PONG',
    ]);
    // The dashboard talks to the server only: it gets no Redis password.
    expect(JSON.stringify(compose.services.dashboard)).not.toContain('REDIS');
  });

  it('adds Prometheus and Grafana under the monitoring profile only, published on this host only', () => {
    for (const name of ['prometheus', 'grafana']) {
      const service = compose.services[name]!;
      expect(service.profiles, name).toEqual(['monitoring']);
      for (const port of service.ports as string[]) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
    // The station's listener is for Prometheus inside the stack: it publishes nothing.
    expect(envOf('station')).toMatchObject({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' });
    expect(compose.services.station).not.toHaveProperty('ports');
  });

  it("gives Prometheus the server's METRICS_TOKEN, and scrapes both apps where they listen", () => {
    for (const vars of [{}, { METRICS_TOKEN: 'x'.repeat(32) }] as Record<string, string>[]) {
      const token = interpolate(envOf('server').METRICS_TOKEN!, vars);
      // The server refuses a token shorter than 24 characters at start.
      expect(token.length).toBeGreaterThanOrEqual(24);
      expect(interpolate(envOf('prometheus').METRICS_TOKEN!, vars)).toBe(token);
    }
    const config = parse(
      readFileSync(new URL('../deploy/prometheus/prometheus.yml', import.meta.url), 'utf8'),
    ) as {
      scrape_configs: {
        job_name: string;
        metrics_path: string;
        authorization?: { type: string; credentials_file: string };
        static_configs: { targets: string[] }[];
      }[];
    };
    const job = (name: string) => config.scrape_configs.find((c) => c.job_name === name)!;
    const server = job('flashstation-server');
    expect(server.static_configs[0]!.targets).toEqual([`server:${envOf('server').SERVER_PORT}`]);
    expect(server.metrics_path).toBe('/metrics');
    // The file the service's command writes the token to is the one the scrape reads.
    const command = (compose.services.prometheus!.command as string[]).join(' ');
    expect(command).toContain(`> ${server.authorization!.credentials_file} `);
    expect(server.authorization!.type).toBe('Bearer');
    expect(job('flashstation-station').static_configs[0]!.targets).toEqual([
      `station:${envOf('station').METRICS_PORT}`,
    ]);
    // Mounted where the command reads them.
    expect(compose.services.prometheus!.volumes).toContain(
      './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
    expect(command).toContain('--config.file=/etc/prometheus/prometheus.yml');
  });

  it('has a Grafana dashboard that reads only metrics the server and the station export', async () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../deploy/grafana/flash-station.json', import.meta.url), 'utf8'),
    ) as { panels: { targets: { expr: string }[]; datasource: { uid: string } }[] };
    // The real registries, only listed: no source is read, so none is given.
    const server = createServerMetrics({} as LineSources).registry;
    const station = createStationMetrics({
      stationId: 'station-1',
      slots: [1],
      offlineSlots: () => [],
      openSlots: () => [],
      unconfirmedCount: () => 0,
    }).registry;
    const exported = new Set(
      [server, station].flatMap((registry) => registry.getMetricsAsArray().map((m) => m.name)),
    );
    const used = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((t) => t.expr.match(/\b(?:flashstation|nodejs)_\w+/g) ?? []),
    );
    expect(used.length).toBeGreaterThan(10);
    for (const name of used)
      expect(exported, name).toContain(name.replace(/_(bucket|sum|count)$/, ''));
    // Every panel on the provisioned data source.
    const source = parse(
      readFileSync(
        new URL('../deploy/grafana/provisioning/datasources/prometheus.yml', import.meta.url),
        'utf8',
      ),
    ) as { datasources: { uid: string; url: string }[] };
    for (const panel of dashboard.panels)
      expect(panel.datasource.uid).toBe(source.datasources[0]!.uid);
    expect(source.datasources[0]!.url).toBe('http://prometheus:9090');
  });
});
