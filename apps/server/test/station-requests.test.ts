// Station agents calling the server over HTTP (to fetch firmware by digest): a request signed
// with the station's key is let through on routes the matrix opens to stations, and refused
// everywhere else and in every forged form. Real app, Postgres (credentials), Redis (keyring).
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import { createRedis, waitUntilReady } from '@station/runtime';
import { deleteKeys, LOCAL_REDIS_URL, uniquePrefix } from '@station/testkit';
import {
  deriveStationKeys,
  newStationSecret,
  stationAuthorization,
  verifyStationAuthorization,
} from '@station/trust';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app';
import { ROUTE_MATRIX } from '../src/auth/role-matrix';
import { createStationStore } from '../src/stations/station.store';
import { StationRegistry } from '../src/stations/station-registry.service';
import { issueTestCredential, loadTestKeyring, silentLogger, testAuth } from './helpers';

const prefix = uniquePrefix('station-requests');
let db: TestDatabase;
let redis: Redis;
let app: App;
let signingKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  redis = createRedis(LOCAL_REDIS_URL, silentLogger, 'station-requests-test');
  await waitUntilReady(redis);
  ({ signingKey } = await issueTestCredential(db.prisma, prefix, 'req-1'));
  const keyring = await loadTestKeyring(db.prisma, redis, prefix);
  app = await buildApp({
    logger: silentLogger,
    auth: await testAuth(db.prisma),
    matrix: {
      ...ROUTE_MATRIX,
      'GET /api/test/for-stations': { role: 'engineer', what: 'fetch', stations: true },
      'GET /api/test/people-only': { role: 'operator', what: 'read people things' },
    },
    verifyStation: (header, method, path) =>
      verifyStationAuthorization(header, method, path, (id) => keyring.signingKeyOf(id)),
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
  app.get('/api/test/for-stations', async (request) => ({ station: request.station }));
  app.get('/api/test/people-only', async () => ({ ok: true }));
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await deleteKeys(prefix);
  await redis?.quit();
  await db?.drop();
});

const call = (path: string, authorization: string) =>
  app.inject({ method: 'GET', url: path, headers: { authorization } });
const signed = (path: string, key = signingKey, at = Date.now()) =>
  stationAuthorization(key, 'req-1', 'GET', path, at);

describe('signed station requests', () => {
  it('let the station through where the matrix opens the route to stations', async () => {
    const path = '/api/test/for-stations?digest=abc';
    const answer = await call(path, signed(path));
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ station: 'req-1' });
  });

  it('refuse a forged, replayed or misdirected request, saying why', async () => {
    const path = '/api/test/for-stations';
    const errorOf = async (authorization: string, url = path) => {
      const answer = await call(url, authorization);
      return [answer.statusCode, (answer.json() as { error: { message: string } }).error.message];
    };
    const otherKey = deriveStationKeys(newStationSecret()).signingKey;
    expect(await errorOf(signed(path, otherKey))).toEqual([
      401,
      'Station request refused: bad request signature',
    ]);
    expect(await errorOf(signed(path, signingKey, Date.now() - 10 * 60_000))).toEqual([
      401,
      expect.stringMatching(/^Station request refused: request time is 600 s off/),
    ]);
    // Signed for another path: not valid for this one.
    expect(await errorOf(signed('/api/test/for-stations?digest=x'))).toEqual([
      401,
      'Station request refused: bad request signature',
    ]);
    expect(await errorOf(signed(path).replace('req-1', 'req-9'))).toEqual([
      401,
      'Station request refused: station req-9 has no credential',
    ]);
    // A genuine station on a route not opened to stations.
    expect(await errorOf(signed('/api/test/people-only'), '/api/test/people-only')).toEqual([
      403,
      'Stations may not read people things',
    ]);
    expect(await errorOf(signed('/api/stations'), '/api/stations')).toEqual([
      403,
      'Stations may not list stations',
    ]);
  });
});
