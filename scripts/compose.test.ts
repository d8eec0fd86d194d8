// Checks docker-compose.yml against what the README promises, without a Docker engine:
// the five services, Redis that never evicts BullMQ keys, and app services wired to them; and
// its safe defaults (docs/security.md): Postgres and Redis unpublished, every password required.
// The second half runs the real `docker compose config` (or docker-compose) on the file, and the
// shell snippets it resolves to (Grafana's password check, the station's health check) for real.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '@station/logger';
import { freePort, tempDir, type TempDir } from '@station/testkit';
import { afterAll, beforeAll } from 'vitest';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerAlertGauges } from '../apps/server/src/alerts/alert-metrics';
import { createServerMetrics } from '../apps/server/src/metrics/server-metrics';
import type { LineSources } from '../apps/server/src/metrics/line-gauges';
import { startMetricsListener } from '../apps/station/src/metrics/metrics-listener';
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
/** deploy/demo.env: the demo's well-known secrets (`--env-file deploy/demo.env`). */
const demoEnv = Object.fromEntries(
  readFileSync(new URL('../deploy/demo.env', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
/** What compose itself refuses to resolve without; Grafana's password is its service's own check. */
const REQUIRED = ['POSTGRES_PASSWORD', 'REDIS_PASSWORD', 'METRICS_TOKEN'];
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
    expect(interpolate(server.DATABASE_URL!, demoEnv)).toBe(
      `postgresql://postgres:${demoEnv.POSTGRES_PASSWORD}@postgres:5432/flashstation`,
    );
    for (const url of [server.REDIS_URL!, station.REDIS_URL!]) {
      expect(new URL(interpolate(url, demoEnv)).host).toBe('redis:6379');
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
    for (const vars of [demoEnv, { REDIS_PASSWORD: 'line-7-secret' }] as Record<string, string>[]) {
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

  it("gives Prometheus and the station the server's METRICS_TOKEN, and scrapes both with it", () => {
    for (const vars of [demoEnv, { METRICS_TOKEN: 'x'.repeat(32) }] as Record<string, string>[]) {
      const token = interpolate(envOf('server').METRICS_TOKEN!, vars);
      // Both apps refuse a token shorter than 24 characters at start.
      expect(token.length).toBeGreaterThanOrEqual(24);
      expect(interpolate(envOf('prometheus').METRICS_TOKEN!, vars)).toBe(token);
      // The station listens beyond loopback (0.0.0.0), where it refuses to start without one.
      expect(interpolate(envOf('station').METRICS_TOKEN!, vars)).toBe(token);
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
    const station = job('flashstation-station');
    expect(station.static_configs[0]!.targets).toEqual([
      `station:${envOf('station').METRICS_PORT}`,
    ]);
    expect(station.authorization).toEqual(server.authorization);
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
    registerAlertGauges(server, () => ({
      state: 'ok',
      evaluatedAt: null,
      error: null,
      alerts: [],
    }));
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
    expect(used).toContain('flashstation_alert_active');
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

const run = promisify(execFile);

/** `docker compose` (v2 plugin) when installed, else docker-compose (scripts/test.sh installs it). */
async function composeCommand(): Promise<string[]> {
  try {
    await run('docker', ['compose', 'version'], { timeout: 20_000 });
    return ['docker', 'compose'];
  } catch {
    await run('docker-compose', ['version'], { timeout: 20_000 }).catch((error: Error) => {
      throw new Error(
        `neither \`docker compose\` nor docker-compose runs (${error.message}): apt-get install docker-compose`,
      );
    });
    return ['docker-compose'];
  }
}

interface Resolved {
  services: Record<
    string,
    {
      command?: string[] | string;
      entrypoint?: string[] | string;
      environment?: Record<string, string>;
      healthcheck?: { test: string[] };
      ports?: unknown[];
      restart?: string;
      build?: unknown;
      profiles?: string[];
    }
  >;
}

describe('docker compose config (the real CLI on docker-compose.yml)', { timeout: 60_000 }, () => {
  let compose: string[];
  let work: TempDir;
  let emptyEnvFile: string;

  beforeAll(async () => {
    compose = await composeCommand();
    work = await tempDir('compose-config');
    // No .env from the developer's checkout: only the variables each case gives.
    emptyEnvFile = join(work.path, 'empty.env');
    writeFileSync(emptyEnvFile, '');
  });
  afterAll(() => work?.dispose());

  /** `config` with exactly `vars` as the shell's environment; resolves with its output. */
  const config = (vars: Record<string, string>, profiles = ['monitoring']) =>
    run(
      compose[0]!,
      [
        ...compose.slice(1),
        '--project-directory',
        new URL('..', import.meta.url).pathname,
        '--file',
        new URL('../docker-compose.yml', import.meta.url).pathname,
        '--env-file',
        emptyEnvFile,
        ...profiles.flatMap((profile) => ['--profile', profile]),
        'config',
      ],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...vars }, timeout: 30_000 },
    );

  it('refuses to resolve the file while any password or token is missing', async () => {
    for (const missing of REQUIRED) {
      const vars = { ...demoEnv };
      delete vars[missing];
      const failure = await config(vars).then(
        () => undefined,
        (error: Error & { stderr?: string }) => error.stderr ?? error.message,
      );
      expect(failure, `config without ${missing}`).toBeDefined();
      expect(failure).toContain(`set ${missing}`);
    }
  });

  it('resolves without GRAFANA_ADMIN_PASSWORD, with or without the monitoring profile', async () => {
    const vars = { ...demoEnv };
    delete vars.GRAFANA_ADMIN_PASSWORD;
    for (const profiles of [[], ['monitoring']]) {
      const { stdout } = await config(vars, profiles);
      const resolved = parse(stdout) as Resolved;
      expect(resolved.services.server, `profiles ${profiles.join()}`).toBeDefined();
    }
  });

  it('refuses to start Grafana with an empty or default admin password, and starts it with one', async () => {
    const vars = { ...demoEnv };
    delete vars.GRAFANA_ADMIN_PASSWORD;
    const grafana = (parse((await config(vars)).stdout) as Resolved).services.grafana!;
    expect(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe('');
    expect(grafana.command).toEqual(['/run.sh']);
    // The entrypoint as the container runs it ($$ is compose's escape for $), with a stand-in
    // for the image's /run.sh that shows whether it was reached.
    const [shell, ...args] = (grafana.entrypoint as string[]).map((a) => a.replaceAll('$$', '$'));
    expect(shell).toBe('/bin/sh');
    const entrypoint = (password: string) =>
      run('sh', [...args, 'echo', 'grafana started'], {
        env: { PATH: process.env.PATH, GF_SECURITY_ADMIN_PASSWORD: password },
        timeout: 10_000,
      }).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (error: Error & { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code,
          stdout: error.stdout ?? '',
          stderr: error.stderr ?? '',
        }),
      );
    for (const refused of ['', 'admin']) {
      const result = await entrypoint(refused);
      expect(result, `password "${refused}"`).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toContain('set GRAFANA_ADMIN_PASSWORD');
    }
    expect(await entrypoint(demoEnv.GRAFANA_ADMIN_PASSWORD!)).toEqual({
      code: 0,
      stdout: 'grafana started\n',
      stderr: '',
    });
  });

  it("checks the station's health through its token-guarded /metrics", async () => {
    const station = (parse((await config(demoEnv)).stdout) as Resolved).services.station!;
    const [kind, node, flag, script] = station.healthcheck!.test;
    expect([kind, node, flag]).toEqual(['CMD', 'node', '-e']);
    const token = station.environment!.METRICS_TOKEN!;
    expect(token).toBe(demoEnv.METRICS_TOKEN);
    // The script against a real station listener with that token, on a free port for 9464.
    const listener = await startMetricsListener({
      registry: createStationMetrics({
        stationId: 'station-1',
        slots: [1],
        offlineSlots: () => [],
        openSlots: () => [],
        unconfirmedCount: () => 0,
      }).registry,
      host: '127.0.0.1',
      port: await freePort(),
      token,
      logger: createLogger({ name: 'station', level: 'silent' }),
    });
    try {
      const local = script!.replace(':9464/', `:${listener.address.port}/`);
      expect(local).not.toBe(script);
      const check = (env: Record<string, string>) =>
        run(process.execPath, ['-e', local], { env, timeout: 10_000 }).then(
          () => 0,
          (error: { code?: number }) => error.code,
        );
      expect(await check({ METRICS_TOKEN: token })).toBe(0);
      expect(await check({ METRICS_TOKEN: 'x'.repeat(32) })).toBe(1);
    } finally {
      await listener.close();
    }
  });

  it('runs built apps in production, with health checks, restarts and no published database', async () => {
    const { stdout } = await config(demoEnv);
    const resolved = parse(stdout) as Resolved;
    const apps = ['server', 'station', 'station-credential', 'dashboard'];
    for (const name of apps) {
      const service = resolved.services[name]!;
      expect(service.environment?.NODE_ENV, `${name} NODE_ENV`).toBe('production');
      const command = [service.command ?? [], service.entrypoint ?? []].flat().join(' ');
      expect(command, `${name} command`).not.toMatch(/tsx|\.ts\b|npm run/);
      expect(service.build, `${name} is built from docker/Dockerfile`).toBeDefined();
    }
    for (const name of ['server', 'station', 'dashboard']) {
      const service = resolved.services[name]!;
      expect(service.healthcheck?.test.join(' '), `${name} health check`).toMatch(
        /http:\/\/127\.0\.0\.1:\d+\//,
      );
      expect(service.restart, `${name} restart`).toBe('unless-stopped');
    }
    for (const name of ['postgres', 'redis']) {
      expect(resolved.services[name]!.ports, `${name} ports`).toBeUndefined();
      expect(resolved.services[name]!.healthcheck, `${name} health check`).toBeDefined();
      expect(resolved.services[name]!.restart, `${name} restart`).toBe('unless-stopped');
    }
    // Redis keeps its data (AOF) and wants the password.
    expect(resolved.services.redis!.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--requirepass', demoEnv.REDIS_PASSWORD]),
    );
    expect(resolved.services.postgres!.environment).toMatchObject({
      POSTGRES_PASSWORD: demoEnv.POSTGRES_PASSWORD,
    });
    expect(resolved.services.postgres!.environment).not.toHaveProperty('POSTGRES_HOST_AUTH_METHOD');
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(new URL('../docker/Dockerfile', import.meta.url), 'utf8');
  const runtime = dockerfile.slice(dockerfile.indexOf(' AS runtime'));

  it('builds in one stage and runs as a non-root user with NODE_ENV=production in another', () => {
    expect(dockerfile).toMatch(/AS build\n/);
    expect(dockerfile).toContain('npm run build');
    expect(dockerfile).toContain('npm prune --omit=dev');
    expect(runtime).toMatch(/ENV NODE_ENV=production/);
    expect(runtime).toMatch(/\nUSER node\s*$/);
    // The runtime stage takes built output, not the sources: no apps/*/src.
    expect(runtime).not.toMatch(/apps\/\w+\/src/);
    expect(runtime).not.toContain('tsx');
  });

  it('pins the one supported Node major, the same as package.json engines and .nvmrc', () => {
    const version = /ARG NODE_VERSION=(\d+)\.(\d+)\.(\d+)/.exec(dockerfile);
    expect(version).not.toBeNull();
    const engines = (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
        engines: { node: string };
      }
    ).engines.node;
    expect(engines).toBe(`>=20.19 <21`);
    expect(Number(version![1])).toBe(20);
    expect(Number(version![2])).toBeGreaterThanOrEqual(19);
    const nvmrc = readFileSync(new URL('../.nvmrc', import.meta.url), 'utf8').trim();
    expect(nvmrc).toBe(`${version![1]}.${version![2]}.${version![3]}`);
  });
});
