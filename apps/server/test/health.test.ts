// /api/health, /api/stations, /docs and the error envelope through app.inject. Real: a migrated
// Postgres database, Redis with a unique key prefix. The red cases point a real client at a port
// where nothing listens; nothing is mocked.
import { createPrismaClient, pingDatabase } from '@station/db';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import type { HealthResponse } from '@station/contracts';
import { createRedis, pingRedis, waitUntilReady } from '@station/runtime';
import { deleteKeys, LOCAL_REDIS_URL, uniquePrefix } from '@station/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App, type AppDeps } from '../src/app';
import { ROUTE_MATRIX } from '../src/auth/role-matrix';
import { createStationStore } from '../src/stations/station.store';
import { StationRegistry } from '../src/stations/station-registry.service';
import { injectSignIn, silentLogger, testAuth } from './helpers';

const REDIS_URL = LOCAL_REDIS_URL;
const DEAD_REDIS_URL = 'redis://127.0.0.1:1';
const prefix = uniquePrefix('health');
let db: TestDatabase;
let redis: Redis;
let auth: AppDeps['auth'];
/** Session cookies of a supervisor (stations) and an engineer (the OpenAPI page). */
let supervisor: string;
let engineer: string;

const makeApp = (probes: { postgres: () => Promise<unknown>; redis: () => Promise<unknown> }) => {
  const registry = new StationRegistry(
    createStationStore({ prisma: db.prisma, redis, prefix }),
    silentLogger,
  );
  return buildApp({
    logger: silentLogger,
    auth,
    registry,
    probes,
    corsOrigins: ['http://localhost:3000'],
    docs: true,
    production: true,
    version: '0.0.0-test',
  });
};

let app: App;
beforeAll(async () => {
  db = await createTestDatabase();
  redis = createRedis(REDIS_URL, silentLogger, 'health-test');
  await waitUntilReady(redis);
  auth = await testAuth(db.prisma);
  app = await makeApp({
    postgres: () => pingDatabase(db.prisma),
    redis: () => pingRedis(redis, REDIS_URL),
  });
  supervisor = await injectSignIn(app, 'supervisor');
  engineer = await injectSignIn(app, 'engineer');
});

afterAll(async () => {
  await app?.close();
  await deleteKeys(prefix);
  await redis?.quit();
  await db?.drop();
});

describe('GET /api/health', () => {
  it('is 200 ok when Postgres and Redis answer', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      postgres: { ok: true },
      redis: { ok: true },
      stations: [],
    });
  });

  it('is 503 naming Redis when Redis is unreachable', async () => {
    const deadRedis = createRedis(DEAD_REDIS_URL, silentLogger, 'dead-redis');
    const degraded = await makeApp({
      postgres: () => pingDatabase(db.prisma),
      redis: () => pingRedis(deadRedis, DEAD_REDIS_URL),
    });
    try {
      const response = await degraded.inject({ method: 'GET', url: '/api/health' });
      expect(response.statusCode).toBe(503);
      const body = response.json<HealthResponse>();
      expect(body.status).toBe('degraded');
      expect(body.postgres).toEqual({ ok: true });
      expect(body.redis.ok).toBe(false);
      expect(body.redis.error).toMatch(/^Redis is unavailable: no connection to 127\.0\.0\.1:1 /);
    } finally {
      await degraded.close();
      deadRedis.disconnect();
    }
  });

  it('is 503 naming Postgres when Postgres is unreachable', async () => {
    const deadPrisma = createPrismaClient('postgresql://postgres@127.0.0.1:1/flashstation');
    const degraded = await makeApp({
      postgres: () => pingDatabase(deadPrisma),
      redis: () => pingRedis(redis, REDIS_URL),
    });
    try {
      const response = await degraded.inject({ method: 'GET', url: '/api/health' });
      expect(response.statusCode).toBe(503);
      const body = response.json<HealthResponse>();
      expect(body.redis).toEqual({ ok: true });
      expect(body.postgres.ok).toBe(false);
      expect(body.postgres.error).toMatch(
        /^Postgres is unavailable: Postgres is not reachable at 127\.0\.0\.1:1 /,
      );
    } finally {
      await degraded.close();
      await deadPrisma.$disconnect();
    }
  });
});

describe('REST surface', () => {
  it('lists no stations before any registered, and 404s an unknown one in the error envelope', async () => {
    const get = (url: string) =>
      app.inject({ method: 'GET', url, headers: { cookie: supervisor } });
    expect((await get('/api/stations')).json()).toEqual({ stations: [] });
    const missing = await get('/api/stations/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'Station nope is not known' },
    });
  });

  it('rejects a malformed station id with a 400 that says what is wrong', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/stations/bad%3Aid',
      headers: { cookie: supervisor },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(response.json().error.message).toMatch(/letters, digits/);
  });

  it('answers unknown routes with the error envelope', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route GET /api/nothing-here' },
    });
  });

  it('allows the dashboard origin (CORS) and not others, on a refusal too', async () => {
    const allowed = await app.inject({
      method: 'GET',
      url: '/api/stations',
      headers: { origin: 'http://localhost:3000', cookie: supervisor },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    // A browser can read a 401 only when it carries the CORS headers.
    const refused = await app.inject({
      method: 'GET',
      url: '/api/stations',
      headers: { origin: 'http://localhost:3000' },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const other = await app.inject({
      method: 'GET',
      url: '/api/stations',
      headers: { origin: 'http://evil.test' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('publishes OpenAPI with the health, session and station routes, to engineers', async () => {
    const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie: engineer } });
    const spec = (await get('/docs/json')).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/session',
        '/api/stations',
        '/api/stations/{stationId}',
      ]),
    );
    // The UI's page and script load under helmet's CSP (staticCSP: the UI's own files allowed).
    const page = await get('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(page.body).toContain('swagger-initializer.js');
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/);
    expect((await get('/docs/static/swagger-initializer.js')).statusCode).toBe(200);
    expect((await get('/docs')).statusCode).toBeLessThan(400);
  });

  it('sends the security headers (helmet) on every answer', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
  });

  it('hides the detail of an unexpected error in production', async () => {
    const crashing = await buildApp({
      logger: silentLogger,
      auth,
      matrix: { ...ROUTE_MATRIX, 'GET /api/boom': { anyone: true } },
      registry: new StationRegistry(
        createStationStore({ prisma: db.prisma, redis, prefix }),
        silentLogger,
      ),
      probes: { postgres: async () => {}, redis: async () => {} },
      corsOrigins: [],
      docs: false,
      production: true,
      version: '0.0.0-test',
    });
    crashing.get('/api/boom', async () => {
      throw new Error('connection string postgresql://secret@db');
    });
    try {
      const response = await crashing.inject({ method: 'GET', url: '/api/boom' });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        error: {
          code: 'INTERNAL',
          message: expect.stringMatching(
            /^Something went wrong on the server \(request [0-9a-f]{16}\)$/,
          ) as string,
        },
      });
      expect(response.body).not.toContain('secret');
    } finally {
      await crashing.close();
    }
  });
});
