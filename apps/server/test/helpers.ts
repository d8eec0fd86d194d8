// The server in-process for tests: a real migrated Postgres database, a unique Redis key prefix
// and the real server runtime listening on a free port. Waits, prefixes and processes come from
// @station/testkit.
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import { createLogger, type Logger } from '@station/logger';
import type { Redis } from 'ioredis';
import {
  FIRMWARE_UPLOAD_FIELD,
  SESSION_COOKIE,
  type Role,
  type SignInRequest,
} from '@station/contracts';
import { makeSyntheticDa, makeSyntheticPackage } from '@station/mtk';
import { stationCredentialRepository, type PrismaClient } from '@station/db';
import { sha256Hex } from '@station/trust';
import {
  deleteKeys,
  provisionStation,
  signIn,
  spawnApp,
  tempDir,
  TEST_DEMO_PASSWORD,
  uniquePrefix,
  waitFor,
  type ProvisionedStation,
  type StationApp,
} from '@station/testkit';
import type { App, AppDeps } from '../src/app';
import { AuthService } from '../src/auth/auth.service';
import { ensureFirstUsers } from '../src/auth/first-start';
import { parseEnv, type ServerEnv } from '../src/env';
import { createServerRuntime, type ServerRuntime } from '../src/runtime';
import { StationKeyring } from '../src/stations/station-keyring';

export const silentLogger = createLogger({ name: 'server-test', level: 'silent' });

export interface TestServer {
  runtime: ServerRuntime;
  env: ServerEnv;
  db: TestDatabase;
  baseUrl: string;
  /** Signs in (a demo user by name, or a full sign-in body); the `cookie` header value. */
  signIn(as: Role | SignInRequest): Promise<string>;
  /** Stops the runtime (ordered shutdown) and starts a new one on the same database and prefix. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The real server runtime on its own database and key prefix, listening on 127.0.0.1. */
export async function startTestServer(
  overrides: Record<string, string> = {},
  /** Where the server logs (tests that read the log pass their own). */
  logger: Logger = silentLogger,
): Promise<TestServer> {
  const db = await createTestDatabase();
  // Uploaded firmware goes to the test's own folder, never to the repo's .run.
  const firmwareStore = await tempDir('server-firmware');
  try {
    const env = parseEnv({
      DATABASE_URL: db.url,
      REDIS_PREFIX: uniquePrefix('server'),
      HOST: '127.0.0.1',
      SERVER_PORT: '0',
      // The demo users exist; sign-ins in tests are many, the limit has a test of its own.
      DEMO_PASSWORD: TEST_DEMO_PASSWORD,
      SIGN_IN_RATE_LIMIT: '1000',
      FIRMWARE_STORE_DIR: firmwareStore.path,
      ...overrides,
    });
    const start = async () => {
      const runtime = await createServerRuntime(env, logger);
      const baseUrl = await runtime.app.listen({ host: env.HOST, port: 0 });
      return { runtime, baseUrl };
    };
    const stop = async (runtime: ServerRuntime) => {
      for (const step of runtime.shutdownSteps) await step.run();
    };
    const server: TestServer = {
      ...(await start()),
      env,
      db,
      signIn: (as) => signIn(server.baseUrl, as),
      async restart() {
        await stop(server.runtime);
        Object.assign(server, await start());
      },
      async close() {
        await stop(server.runtime);
        await db.drop();
        await deleteKeys(env.REDIS_PREFIX, env.REDIS_URL);
        await firmwareStore.dispose();
      },
    };
    return server;
  } catch (error) {
    await db.drop();
    await firmwareStore.dispose();
    throw error;
  }
}

/**
 * A credential for the station on the test server, as an admin issues one: the station row with
 * its signing key, its Redis user, and the server's keyring refreshed (no wait for the timer).
 * The station's environment (STATION_SECRET).
 */
export async function provisionFor(
  server: TestServer,
  stationId: string,
): Promise<Record<string, string>> {
  const station = await issueTestCredential(server.db.prisma, server.env.REDIS_PREFIX, stationId);
  await server.runtime.keyring.refresh();
  return station.env;
}

/**
 * A station credential in this process (faster than testkit's CLI path): its Redis user on the
 * prefix and the station row with the signing key, as POST /api/stations makes them.
 */
export async function issueTestCredential(
  prisma: PrismaClient,
  prefix: string,
  stationId: string,
): Promise<ProvisionedStation> {
  const station = await provisionStation({ stationId, prefix });
  await stationCredentialRepository.issue(prisma, {
    code: stationId,
    signingKey: station.signingKey,
    redisPasswordSha256: sha256Hex(station.redisPassword),
  });
  return station;
}

/**
 * The server's station keyring on the test's database and prefix, loaded once: the credentials
 * issued so far are in it. Its refresh timer is long, so tests decide when it refreshes.
 */
export async function loadTestKeyring(
  prisma: PrismaClient,
  redis: Redis,
  prefix: string,
  logger: Logger = silentLogger,
): Promise<StationKeyring> {
  const keyring = new StationKeyring({ prisma, redis, prefix, logger, refreshMs: 60_000 });
  await keyring.load();
  return keyring;
}

/**
 * The real station agent (emulated jig) on the test server's Redis prefix, with a credential of
 * its own, returned once the server shows it connected and has stored its slots and package (a
 * scan needs both).
 */
export async function startStationFor(
  server: TestServer,
  stationId: string,
  env: Record<string, string> = {},
): Promise<StationApp> {
  const agent = await spawnApp('station', {
    STATION_ID: stationId,
    REDIS_PREFIX: server.env.REDIS_PREFIX,
    EMULATOR_SLOTS: '2',
    // Where it fetches registry packages it does not hold.
    SERVER_URL: server.baseUrl,
    ...(await provisionFor(server, stationId)),
    ...env,
  });
  try {
    await waitFor(`station ${stationId} registered and stored`, async () => {
      const station = server.runtime.registry.get(stationId);
      const row = await server.db.prisma.station.findUnique({ where: { code: stationId } });
      const digest = station?.packages?.[0]?.digest;
      const pkg =
        digest && (await server.db.prisma.firmwarePackage.findUnique({ where: { digest } }));
      return station?.connected && row && pkg;
    });
  } catch (error) {
    await agent.dispose();
    throw error;
  }
  return agent;
}

/** `POST /api/flash-jobs` on the test server with a session cookie: the status and the parsed body. */
export async function postFlashJob(
  server: TestServer,
  cookie: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.baseUrl}/api/flash-jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

/**
 * Sign-in for an app a test builds itself (buildApp): the demo users on the test's database,
 * with TEST_DEMO_PASSWORD and a fixed pepper.
 */
export async function testAuth(prisma: PrismaClient): Promise<AppDeps['auth']> {
  const service = new AuthService({ prisma, pepper: 'p'.repeat(32), sessionTtlMs: 3_600_000 });
  await ensureFirstUsers({
    prisma,
    logger: silentLogger,
    demoPassword: TEST_DEMO_PASSWORD,
    badgeLookup: (badge) => service.badgeLookup(badge),
  });
  return { service, sessionTtlMs: 3_600_000, signInLimit: 1000 };
}

/** Signs in through `app.inject` (an app that does not listen); the `cookie` header value. */
export async function injectSignIn(app: App, as: Role): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { username: as, password: TEST_DEMO_PASSWORD },
  });
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (response.statusCode !== 200 || !cookie) {
    throw new Error(`sign-in as ${as} answered ${response.statusCode}: ${response.body}`);
  }
  return `${cookie.name}=${cookie.value}`;
}

/** A synthetic package's files by name (cfg, boot loader, ROM, VIVA), plus a synthetic DA if asked. */
export function syntheticPackageFiles(
  revision: string,
  options: { da?: boolean } = {},
): Record<string, Uint8Array | string> {
  const pkg = makeSyntheticPackage({ revision });
  return {
    [pkg.cfgName]: pkg.cfgText,
    ...pkg.files,
    ...(options.da ? { 'mt6261_da.bin': makeSyntheticDa() } : {}),
  };
}

/** `POST /api/firmware-packages` with `archive` in the multipart field `file`. */
export async function uploadFirmware(
  server: TestServer,
  cookie: string,
  archive: Uint8Array,
  fileName = 'package.zip',
): Promise<{ status: number; body: unknown }> {
  const form = new FormData();
  form.append(FIRMWARE_UPLOAD_FIELD, new Blob([archive]), fileName);
  const response = await fetch(`${server.baseUrl}/api/firmware-packages`, {
    method: 'POST',
    headers: { cookie },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as unknown };
}
