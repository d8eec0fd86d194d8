// Safe defaults (issue #8 §7), on the real server, a real Postgres database and real Redis:
// a server failure answers a generic body naming the request and logs the cause, whatever
// NODE_ENV is; socket.io refuses foreign browser origins on every transport, limits connections
// per client address and events per socket. Clients are real socket.io clients; nothing is mocked.
import { createPrismaClient, type PrismaClient } from '@station/db';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import { createLogger } from '@station/logger';
import type { ClientToServerEvents, ServerToClientEvents } from '@station/contracts';
import { createRedis, waitUntilReady } from '@station/runtime';
import { deleteKeys, signIn, TEST_DEMO_PASSWORD, uniquePrefix, waitFor } from '@station/testkit';
import type { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app';
import { parseEnv } from '../src/env';
import {
  DEFAULT_SOCKET_LIMITS,
  socketLimitsFromEnv,
  TOO_MANY_REQUESTS,
} from '../src/plugins/socket-limits';
import { createServerRuntime } from '../src/runtime';
import { createStationStore } from '../src/stations/station.store';
import { StationRegistry } from '../src/stations/station-registry.service';
import { injectSignIn, silentLogger, testAuth } from './helpers';

let db: TestDatabase;
/** On the `postgres` database: turns the test database's connections off and on. */
let admin: PrismaClient;
let redis: Redis;
/** Sign-in for the apps the tests build themselves (the demo users, TEST_DEMO_PASSWORD). */
let auth: Awaited<ReturnType<typeof testAuth>>;
const prefix = uniquePrefix('safe');

beforeAll(async () => {
  db = await createTestDatabase();
  admin = createPrismaClient('postgresql://postgres@127.0.0.1:5432/postgres');
  redis = createRedis('redis://127.0.0.1:6379', silentLogger, 'safe-defaults-test');
  await waitUntilReady(redis);
  auth = await testAuth(db.prisma);
});

afterAll(async () => {
  await setConnections(true).catch(() => {});
  await admin?.$disconnect();
  await redis?.quit();
  await deleteKeys(prefix);
  await db?.drop();
});

const databaseName = () => new URL(db.url).pathname.slice(1);
const setConnections = (allow: boolean) =>
  admin.$executeRawUnsafe(`ALTER DATABASE "${databaseName()}" ALLOW_CONNECTIONS ${allow}`);
/** Postgres refuses the test database from now on: new connections and open ones alike. */
async function cutDatabase() {
  await setConnections(false);
  await admin.$executeRawUnsafe(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${databaseName()}' AND pid <> pg_backend_pid()`,
  );
}

const DASHBOARD = 'http://dashboard.test:3000';
const appDeps = (socketLimits?: Parameters<typeof buildApp>[0]['socketLimits']) => ({
  logger: silentLogger,
  auth,
  registry: new StationRegistry(
    createStationStore({ prisma: db.prisma, redis, prefix }),
    silentLogger,
  ),
  probes: { postgres: async () => {}, redis: async () => {} },
  corsOrigins: [DASHBOARD],
  docs: false,
  production: true,
  version: '0.0.0-test',
  socketLimits,
});

function captureLog() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    name: 'safe-defaults-test',
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

/** What no answer may carry: a stack frame, SQL, a path of the server's files, Prisma or pg. */
const INTERNALS = /\bat .+:\d+:\d+|\/work\/|node_modules|SELECT |FROM "|prisma|postgres|\.ts\b/i;

describe('error bodies', { timeout: 60_000 }, () => {
  it.each(['development', 'production'])(
    'with NODE_ENV=%s a failure inside answers a generic 500 naming the request; the log has the cause',
    async (nodeEnv) => {
      const { logger, lines } = captureLog();
      const env = parseEnv({
        NODE_ENV: nodeEnv,
        DATABASE_URL: db.url,
        REDIS_PREFIX: prefix,
        HOST: '127.0.0.1',
        DEMO_PASSWORD: TEST_DEMO_PASSWORD,
        SIGN_IN_RATE_LIMIT: '1000',
      });
      const runtime = await createServerRuntime(env, logger);
      try {
        const baseUrl = await runtime.app.listen({ host: '127.0.0.1', port: 0 });
        const engineer = await signIn(baseUrl, {
          username: 'engineer',
          password: TEST_DEMO_PASSWORD,
        });
        await cutDatabase();
        // Anonymous (sign-in reads users) and signed in (the session lookup, then the history).
        const answers = [
          await fetch(`${baseUrl}/api/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'engineer', password: TEST_DEMO_PASSWORD }),
          }),
          await fetch(`${baseUrl}/api/modules/861359030000012`, { headers: { cookie: engineer } }),
        ];
        for (const answer of answers) {
          expect(answer.status).toBe(500);
          const text = await answer.text();
          expect(text).not.toMatch(INTERNALS);
          const { error } = JSON.parse(text) as { error: { code: string; message: string } };
          const requestId = /\(request ([0-9a-f]{16})\)$/.exec(error.message)?.[1];
          expect(error).toEqual({
            code: 'INTERNAL',
            message: `Something went wrong on the server (request ${requestId})`,
          });
          // The operator quotes the id; the log line with that id has the whole cause.
          const logged = lines.find((l) => l.reqId === requestId && l.level === 50);
          expect(logged?.msg).toBe('request failed on the server');
          const err = logged?.err as { message: string; stack: string };
          // Either a pooled connection Postgres just terminated, or a new one it refused.
          expect(err.message).toMatch(
            new RegExp(`terminating connection due to administrator command|"${databaseName()}"`),
          );
          expect(err.stack).toMatch(/\n\s+at /);
        }
      } finally {
        await setConnections(true);
        for (const step of runtime.shutdownSteps) await step.run();
      }
    },
  );

  it('keeps our specific 4xx messages, which name no file of the server', async () => {
    const app = await buildApp(appDeps());
    try {
      const invalid = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 5 },
      });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
      expect(invalid.body).not.toMatch(INTERNALS);
      const malformed = await app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { 'content-type': 'application/json' },
        payload: '{"username":',
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toEqual({
        error: {
          code: 'FST_ERR_CTP_INVALID_JSON_BODY',
          message: "Body is not valid JSON but content-type is set to 'application/json'",
        },
      });
    } finally {
      await app.close();
    }
  });
});

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('socket.io', { timeout: 60_000 }, () => {
  let app: App;
  let baseUrl: string;
  let cookie: string;
  const sockets: Client[] = [];

  beforeAll(async () => {
    // The default limits, but a flood is cut after 2 s rather than 10 (the rule, not its length).
    app = await buildApp(appDeps({ floodDisconnectMs: 2000 }));
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    cookie = await injectSignIn(app, 'supervisor');
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    await app?.close();
  });

  const open = (options: { origin?: string; transport?: 'websocket' | 'polling' } = {}) => {
    const socket: Client = connect(baseUrl, {
      transports: [options.transport ?? 'websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie, ...(options.origin ? { origin: options.origin } : {}) },
    });
    sockets.push(socket);
    return socket;
  };
  /** Connected, or the connect_error the client got. */
  const outcome = (socket: Client) => {
    let timer: NodeJS.Timeout | undefined;
    return new Promise<'connected' | Error>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('no connect or connect_error in 10 s')), 10_000);
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(error));
      socket.once('disconnect', (reason) => resolve(new Error(`disconnected: ${reason}`)));
    }).finally(() => clearTimeout(timer));
  };
  const noSockets = () =>
    waitFor('every earlier socket closed on the server', () => app.io.engine.clientsCount === 0);

  it.each(['websocket', 'polling'] as const)(
    'over %s, refuses a browser whose Origin is not the dashboard, and takes the dashboard',
    async (transport) => {
      const before = app.io.engine.clientsCount;
      const foreign = await outcome(open({ transport, origin: 'http://evil.test' }));
      expect(foreign).toBeInstanceOf(Error);
      // A sandboxed page or a file sends "null": a browser all the same, and not the dashboard.
      const nullOrigin = await outcome(open({ transport, origin: 'null' }));
      expect(nullOrigin).toBeInstanceOf(Error);
      // Refused at the handshake: no engine.io connection was ever made for either.
      expect(app.io.engine.clientsCount).toBe(before);
      expect(await outcome(open({ transport, origin: DASHBOARD }))).toBe('connected');
    },
  );

  it('takes a handshake without an Origin (a script), which still needs a session', async () => {
    expect(await outcome(open())).toBe('connected');
    const anonymous = connect(baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    }) as Client;
    sockets.push(anonymous);
    expect(((await outcome(anonymous)) as Error).message).toBe('UNAUTHENTICATED');
  });

  it('holds one client address to 20 connections, and frees a place when one closes', async () => {
    sockets.splice(0).forEach((socket) => socket.disconnect());
    await noSockets();
    const first = Array.from({ length: 20 }, () => open());
    expect(await Promise.all(first.map(outcome))).toEqual(Array(20).fill('connected'));
    const extra = await outcome(open());
    expect(extra).toBeInstanceOf(Error);
    expect(app.io.sockets.sockets.size).toBe(20);

    first[0]!.disconnect();
    await waitFor('the closed one released', () => app.io.engine.clientsCount === 19);
    expect(await outcome(open())).toBe('connected');

    // Handshakes that arrive together cannot go past the limit either.
    sockets.splice(0).forEach((socket) => socket.disconnect());
    await noSockets();
    const burst = Array.from({ length: 30 }, () => open());
    const outcomes = await Promise.all(burst.map(outcome));
    await waitFor('every surplus connection closed', () => app.io.engine.clientsCount <= 20);
    expect(outcomes.filter((o) => o === 'connected').length).toBeGreaterThan(0);
    expect(burst.filter((socket) => socket.connected).length).toBeLessThanOrEqual(20);
    sockets.splice(0).forEach((socket) => socket.disconnect());
    await noSockets();
  });

  it('answers events past the burst of 40 with "Too many requests", and serves again later', async () => {
    const socket = open();
    expect(await outcome(socket)).toBe('connected');
    const answers = await Promise.all(
      Array.from({ length: 60 }, () =>
        socket.timeout(5000).emitWithAck('stations:snapshot', { v: 1 }),
      ),
    );
    const refused = answers.filter((a) => JSON.stringify(a) === JSON.stringify(TOO_MANY_REQUESTS));
    const served = answers.filter((a) => 'stations' in a);
    expect(served.length + refused.length).toBe(60);
    // 40 at once, plus what 20 a second refilled while they were sent.
    expect(served.length).toBeGreaterThanOrEqual(40);
    expect(served.length).toBeLessThan(50);
    expect(refused[0]).toEqual({ v: 1, ok: false, error: 'Too many requests' });

    // Events without an ack count too: they are dropped silently.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const untyped = socket as unknown as Socket;
    for (let i = 0; i < 45; i++) untyped.emit('station:watch', { v: 1, stationId: 'x' });
    expect(await socket.timeout(5000).emitWithAck('stations:snapshot', { v: 1 })).toEqual(
      TOO_MANY_REQUESTS,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await socket.timeout(5000).emitWithAck('stations:snapshot', { v: 1 })).toHaveProperty(
      'stations',
    );
    expect(socket.connected).toBe(true);
  });

  it('disconnects a socket that keeps flooding, not one that keeps within the limit', async () => {
    const flooder = open();
    const steady = open();
    expect(await Promise.all([outcome(flooder), outcome(steady)])).toEqual([
      'connected',
      'connected',
    ]);
    const reasons: string[] = [];
    flooder.on('disconnect', (reason) => reasons.push(reason));
    const started = Date.now();
    const flood = setInterval(() => {
      for (let i = 0; i < 10; i++) flooder.emit('stations:snapshot', { v: 1 }, () => {});
    }, 20);
    const polite = setInterval(() => steady.emit('stations:snapshot', { v: 1 }, () => {}), 100);
    try {
      await waitFor('the flooder disconnected', () => reasons[0], { timeoutMs: 10_000 });
    } finally {
      clearInterval(flood);
      clearInterval(polite);
    }
    expect(reasons).toEqual(['io server disconnect']);
    // Cut after the flood window (2 s here), not at the first refusal.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(steady.connected).toBe(true);
    expect(
      (await steady.timeout(5000).emitWithAck('stations:snapshot', { v: 1 })).stations,
    ).toEqual([]);
  });
});

describe('limits from the configuration', () => {
  it('defaults to 20 connections per address, 20 events a second in bursts of 40, cut after 10 s', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ SOCKET_MAX_CONNECTIONS_PER_IP: 20, SOCKET_EVENTS_PER_SECOND: 20 });
    expect(socketLimitsFromEnv(env)).toEqual(DEFAULT_SOCKET_LIMITS);
    expect(DEFAULT_SOCKET_LIMITS).toEqual({
      maxConnectionsPerIp: 20,
      eventsPerSecond: 20,
      burst: 40,
      floodDisconnectMs: 10_000,
    });
    expect(
      socketLimitsFromEnv(
        parseEnv({ SOCKET_MAX_CONNECTIONS_PER_IP: '5', SOCKET_EVENTS_PER_SECOND: '3' }),
      ),
    ).toMatchObject({ maxConnectionsPerIp: 5, eventsPerSecond: 3, burst: 6 });
  });
});
