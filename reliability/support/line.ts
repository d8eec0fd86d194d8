// One production line for a fault test: the real server and the real station agent (with its
// emulated jig) as processes, their database, a dashboard-like socket.io client that watches
// the station, and the few HTTP and SQL reads the tests judge by, signed in as the demo
// supervisor (sessions live in Postgres, so one cookie serves every server instance).
import { join } from 'node:path';
import {
  StationDetail,
  type CreateFlashJobResponse,
  type FlashProgressEvent,
  type FlashResultEvent,
} from '@station/contracts';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import {
  LOCAL_REDIS_URL,
  deleteKeys,
  signIn,
  provisionStation,
  spawnApp,
  tempDir,
  uniquePrefix,
  waitFor,
  type ServerApp,
  type StationApp,
  type TempDir,
} from '@station/testkit';
import { io, type Socket } from 'socket.io-client';
import { FULL_RUN } from './env';

export interface LineOptions {
  /** Postgres server for the line's database (a private one when the test stops it). */
  postgresUrl?: string;
  redisUrl?: string;
  slots?: number;
  /** Extra server environment. */
  serverEnv?: Record<string, string>;
  /** Extra station environment (e.g. EMULATOR_POWER=manual). */
  stationEnv?: Record<string, string>;
  /** Run the server and station bundles production runs (built by the caller), not tsx. */
  built?: boolean;
}

export interface Line {
  stationId: string;
  db: TestDatabase;
  prefix: string;
  redisUrl: string;
  server: ServerApp;
  station: StationApp;
  dir: TempDir;
  /** The demo supervisor's session cookie every request and socket of the line sends. */
  cookie: string;
  /** Every `flash:result` and `flash:progress` the watching client received, in order. */
  results: FlashResultEvent[];
  progress: FlashProgressEvent[];
  /** POST /api/flash-jobs; resolves with the status and body. */
  scan(slot: number, imei: string, server?: ServerApp): Promise<{ status: number; body: unknown }>;
  /** Scans and expects 202; the attempt id. */
  start(slot: number, imei: string): Promise<string>;
  detail(server?: ServerApp): Promise<StationDetail>;
  attempt(id: string): Promise<{ outcome: string; stageReached: string; endedAt: Date | null }>;
  /** The watching client's result for an attempt, waiting for it. */
  resultOf(attemptId: string, timeoutMs?: number): Promise<FlashResultEvent>;
  /** Connects a socket.io client to a server and watches the station through it. */
  watch(
    server: ServerApp,
    sink: { results: FlashResultEvent[]; progress: FlashProgressEvent[] },
  ): Promise<Socket>;
  dispose(): Promise<void>;
}

export async function startLine(options: LineOptions = {}): Promise<Line> {
  const stationId = `rel-${Math.random().toString(36).slice(2, 8)}`;
  const redisUrl = options.redisUrl ?? LOCAL_REDIS_URL;
  const prefix = uniquePrefix('reliability');
  const dir = await tempDir('reliability-line');
  const db = await createTestDatabase(
    options.postgresUrl ? { serverUrl: options.postgresUrl } : {},
  );
  const sockets: Socket[] = [];
  const server = await spawnApp(
    'server',
    {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      ATTEMPT_LOST_GRACE_MS: '5000',
      RECONCILE_MS: '500',
      STATION_KEYS_REFRESH_MS: '500',
      // These faults re-scan the same labels at once (after a kill, a restart): not double scans.
      DOUBLE_SCAN_WINDOW_MS: '100',
      ...options.serverEnv,
    },
    { built: options.built ?? false },
  );
  const credential = await provisionStation({
    stationId,
    prefix,
    redisUrl,
    databaseUrl: db.url,
  });
  const station = await spawnApp(
    'station',
    {
      ...credential.env,
      STATION_ID: stationId,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      EMULATOR_SLOTS: String(options.slots ?? 4),
      JIG_DIR: join(dir.path, 'jig'),
      FIRMWARE_DIR: join(dir.path, 'firmware'),
      JOURNAL_FILE: join(dir.path, 'journal.jsonl'),
      ...options.stationEnv,
    },
    { built: options.built ?? false },
  );
  const line: Line = {
    stationId,
    db,
    prefix,
    redisUrl,
    server,
    station,
    dir,
    cookie: '',
    results: [],
    progress: [],
    async scan(slot, imei, via = server) {
      const response = await fetch(`${via.baseUrl}/api/flash-jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: line.cookie },
        // Round after round flashes the same emulated modules again: a supervisor's rework
        // (without it a module that passed is refused ALREADY_PASSED, issue #9 §3).
        body: JSON.stringify({ stationId, slot, imei, rework: true }),
      });
      return { status: response.status, body: await response.json() };
    },
    async start(slot, imei) {
      const { status, body } = await line.scan(slot, imei);
      if (status !== 202)
        throw new Error(`scan of slot ${slot} answered ${status}: ${JSON.stringify(body)}`);
      return (body as CreateFlashJobResponse).attemptId;
    },
    async detail(via = server) {
      const response = await fetch(`${via.baseUrl}/api/stations/${stationId}`, {
        headers: { cookie: line.cookie },
      });
      return StationDetail.parse(await response.json());
    },
    async attempt(id) {
      return db.prisma.flashAttempt.findUniqueOrThrow({
        where: { id },
        select: { outcome: true, stageReached: true, endedAt: true },
      });
    },
    resultOf(attemptId, timeoutMs = 60_000) {
      return waitFor(
        `flash:result of ${attemptId}`,
        () => line.results.find((r) => r.attemptId === attemptId),
        {
          timeoutMs,
        },
      );
    },
    async watch(via, sink) {
      const socket = io(via.baseUrl, {
        transports: ['websocket'],
        extraHeaders: { cookie: line.cookie },
      });
      sockets.push(socket);
      socket.on('flash:result', (event) => sink.results.push(event));
      socket.on('flash:progress', (batch) => sink.progress.push(...batch.events));
      // Re-watch after every (re)connect: a restarted server has forgotten this client's rooms.
      const watchNow = () =>
        new Promise<void>((resolve) =>
          socket.emit('station:watch', { v: 1, stationId }, () => resolve()),
        );
      socket.on('connect', () => void watchNow());
      await waitFor('socket connected', () => socket.connected);
      await watchNow();
      return socket;
    },
    async dispose() {
      for (const socket of sockets) socket.disconnect();
      await station.dispose().catch(() => {});
      await server.dispose().catch(() => {});
      await db.drop().catch(() => {});
      await deleteKeys(prefix, redisUrl).catch(() => {});
      await dir.dispose();
    },
  };
  try {
    line.cookie = await signIn(server.baseUrl, 'supervisor');
    await waitFor('station registered and stored', async () => (await line.detail()).connected, {
      timeoutMs: 30_000,
    });
    await line.watch(server, line);
  } catch (error) {
    await line.dispose();
    throw error;
  }
  return line;
}

/** How many times a fault loop runs: a few in `npm test`, the full count in `npm run test:reliability`. */
export const runs = (full: number, quick: number): number => (FULL_RUN ? full : quick);
