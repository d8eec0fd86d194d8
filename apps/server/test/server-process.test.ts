// The server entry as a real process: startup failures a user can fix print one sentence and
// exit 1; a good start listens and SIGTERM shuts down in order with exit 0. Real Postgres and
// Redis; the "missing" services are ports where nothing listens. Nothing is mocked.
import { createTestDatabase } from '@station/db/testing';
import { signIn, spawnApp, testRedisPrefix, type ServerApp } from '@station/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const started: ServerApp[] = [];

/** A server that is expected to fail at start-up: no waiting for its ready line. */
const startFailing = async (env: Record<string, string>) => {
  const server = await spawnApp('server', env, { waitUntilReady: false });
  started.push(server);
  return server;
};

afterEach(async () => {
  for (const server of started.splice(0)) await server.dispose();
});

// Each test starts one or two cold server processes (tsx compiles the sources as they load), which
// takes many seconds on a loaded CI machine: the limits are spawnApp's, not the default 30 s.
describe('server process', { timeout: 150_000 }, () => {
  it('exits 1 with one sentence when Redis is unreachable', async () => {
    const server = await startFailing({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await server.current.waitForExit()).toEqual({ code: 1, signal: null });
    expect(server.current.stderr().trim()).toBe(
      'Redis is not reachable at 127.0.0.1:1 (REDIS_URL): start the local service (`service redis-server start`) or set REDIS_URL to where it runs.',
    );
  });

  it('exits 1 with one sentence when Postgres is unreachable', async () => {
    const server = await startFailing({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/flashstation',
    });
    expect(await server.current.waitForExit()).toEqual({ code: 1, signal: null });
    expect(server.current.stderr().trim()).toMatch(
      /^Postgres is not reachable at 127\.0\.0\.1:1 .*\.$/,
    );
    expect(server.current.stderr().trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 naming a bad variable', async () => {
    const server = await startFailing({ SERVER_PORT: 'forty' });
    expect(await server.current.waitForExit()).toEqual({ code: 1, signal: null });
    expect(server.current.stderr()).toContain('SERVER_PORT must be a number (got "forty")');
  });

  it('starts, and shuts down in order on SIGTERM', async () => {
    const db = await createTestDatabase();
    const redis = testRedisPrefix('process');
    try {
      // spawnApp waits for the "Server listening" line.
      const server = await spawnApp('server', { DATABASE_URL: db.url, REDIS_PREFIX: redis.prefix });
      started.push(server);
      expect(await server.stop()).toEqual({ code: 0, signal: null });
      expect(server.current.stdout()).toContain('"msg":"shutdown complete"');
      expect(server.current.stdout()).not.toContain('shutdown step failed');
    } finally {
      await db.drop();
      await redis.dispose();
    }
  });

  it('creates admin on an empty database with a password shown once, and only once', async () => {
    const db = await createTestDatabase();
    const redis = testRedisPrefix('first-start');
    try {
      // No DEMO_PASSWORD (empty counts as unset): only the admin, with a random password.
      const env = { DATABASE_URL: db.url, REDIS_PREFIX: redis.prefix, DEMO_PASSWORD: '' };
      const server = await spawnApp('server', env);
      started.push(server);
      const line = await server.waitForLine('first start: created user admin with password');
      expect(JSON.parse(line)).toMatchObject({ level: 40 });
      const password = /with password (\S+)"/.exec(line)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
      const cookie = await signIn(server.baseUrl, { username: 'admin', password: password! });
      const me = await fetch(`${server.baseUrl}/api/session`, { headers: { cookie } });
      expect((await me.json()) as unknown).toMatchObject({
        user: { username: 'admin', role: 'admin' },
      });
      await expect(signIn(server.baseUrl, 'supervisor')).rejects.toThrow(/answered 401/);

      await server.restart();
      expect(server.current.stdout()).not.toContain('first start');
      expect(await db.prisma.user.count()).toBe(1);
    } finally {
      await db.drop();
      await redis.dispose();
    }
  });
});
