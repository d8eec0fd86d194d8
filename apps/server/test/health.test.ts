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
import { buildApp, type App } from '../src/app';
import { createStationStore } from '../src/stations/station.store';
import { StationRegistry } from '../src/stations/station-registry.service';
import { silentLogger } from './helpers';

const REDIS_URL = LOCAL_REDIS_URL;
const DEAD_REDIS_URL = 'redis://127.0.0.1:1';
const prefix = uniquePrefix('health');
let db: TestDatabase;
let redis: Redis;

const makeApp = (probes: { postgres: () => Promise<unknown>; redis: () => Promise<unknown> }) => {
  const registry = new StationRegistry(
    createStationStore({ prisma: db.prisma, redis, prefix }),
    silentLogger,
  );
  return buildApp({
    logger: silentLogger,
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
  app = await makeApp({
    postgres: () => pingDatabase(db.prisma),
    redis: () => pingRedis(redis, REDIS_URL),
  });
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
    expect((await app.inject({ method: 'GET', url: '/api/stations' })).json()).toEqual({
      stations: [],
    });
    const missing = await app.inject({ method: 'GET', url: '/api/stations/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'Station nope is not known' },
    });
  });

  it('rejects a malformed station id with a 400 that says what is wrong', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/stations/bad%3Aid' });
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

  it('allows the dashboard origin (CORS) and not others', async () => {
    const allowed = await app.inject({
      method: 'GET',
      url: '/api/stations',
      headers: { origin: 'http://localhost:3000' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const other = await app.inject({
      method: 'GET',
      url: '/api/stations',
      headers: { origin: 'http://evil.test' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('publishes OpenAPI with the health and station routes', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/stations', '/api/stations/{stationId}']),
    );
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('hides the detail of an unexpected error in production', async () => {
    const crashing = await makeApp({ postgres: async () => {}, redis: async () => {} });
    crashing.get('/api/boom', async () => {
      throw new Error('connection string postgresql://secret@db');
    });
    try {
      const response = await crashing.inject({ method: 'GET', url: '/api/boom' });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        error: { code: 'INTERNAL', message: 'Internal server error' },
      });
    } finally {
      await crashing.close();
    }
  });
});
