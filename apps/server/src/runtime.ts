import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import {
  createPrismaClient,
  pingDatabase,
  sessionRepository,
  settingRepository,
  type PrismaClient,
} from '@station/db';
import type { Logger } from '@station/logger';
import {
  assertRedisReachable,
  createRedis,
  pingRedis,
  waitUntilReady,
  type ShutdownStep,
} from '@station/runtime';
import type { Redis } from 'ioredis';
import packageJson from '../package.json' with { type: 'json' };
import { buildApp, type App } from './app';
import { socketLimitsFromEnv } from './plugins/socket-limits';
import { AuthService } from './auth/auth.service';
import { ensureRollupDefinition } from './analytics/rollup-definition';
import { ensureFirstUsers } from './auth/first-start';
import { newPepper } from './auth/secrets';
import {
  stationControlStream,
  stationProgressStream,
  stationResultsStream,
  ALERTS_ROOM,
  labelFormats,
  type AlertChangedEvent,
  stationRoom,
  type FlashProgressBatch,
  type FlashResultEvent,
} from '@station/contracts';
import { verifyStationAuthorization } from '@station/trust';
import type { ServerEnv } from './env';
import { closeWithinGrace } from './http-close';
import { BlobStore } from './firmware/blob-store';
import { FirmwareRegistryService } from './firmware/firmware-registry.service';
import { DoubleScanGuard } from './flash/double-scan';
import { FlashQueues } from './flash/flash-queues';
import { enqueueFlashJob } from './flash/enqueue-flash-job';
import { FlashStartService } from './flash/flash-start.service';
import { ProgressRelay } from './flash/progress-relay';
import { AttemptReconciler } from './flash/reconciler';
import { FlashResultRecorder } from './flash/result-recorder';
import type { JudgementConfig } from './flash/result-judgement';
import { StationStreams } from './flash/station-streams';
import { createStationControlHandler } from './stations/station-control.handler';
import { StationCredentialService } from './stations/station-credential.service';
import { StationKeyring } from './stations/station-keyring';
import { StationLineService } from './stations/station-line.service';
import { StationPresenceMonitor } from './stations/station-presence.service';
import { StationRegistry } from './stations/station-registry.service';
import { createStationStore } from './stations/station.store';
import { createServerMetrics } from './metrics/server-metrics';
import { yieldFigures } from './alerts/alert-figures';
import { AlertEvaluator } from './alerts/alert-evaluator';
import { registerAlertGauges } from './alerts/alert-metrics';
import { alertThresholds } from './alerts/alert-settings';

/** A package is a cfg, a few images and a DA: more entries than this is no package. */
const MAX_ARCHIVE_ENTRIES = 64;

export interface ServerRuntime {
  app: App;
  registry: StationRegistry;
  monitor: StationPresenceMonitor;
  reconciler: AttemptReconciler;
  keyring: StationKeyring;
  alerts: AlertEvaluator;
  redis: Redis;
  /** Ordered: stop serving, stop consuming, then close connections (rule 32). */
  shutdownSteps: ShutdownStep[];
}

/**
 * Connects to Postgres and Redis (failing with one clear sentence when either is missing),
 * loads station credentials (and makes their Redis users) and known stations, starts the
 * presence monitor, the control, result and progress readers and the reconciler, and builds the
 * app. The caller listens and installs the signal
 * handlers.
 */
export async function createServerRuntime(env: ServerEnv, logger: Logger): Promise<ServerRuntime> {
  await assertRedisReachable(env.REDIS_URL);
  const prisma = createPrismaClient(env.DATABASE_URL, { maxConnections: env.DATABASE_POOL_SIZE });
  try {
    await pingDatabase(prisma);
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }

  const auth = await createAuth(env, prisma, logger).catch(async (error: unknown) => {
    await prisma.$disconnect();
    throw error;
  });
  await ensureRollupDefinition(
    prisma,
    { timeZone: env.LINE_TIME_ZONE, shifts: env.SHIFTS },
    logger,
  ).catch(async (error: unknown) => {
    await prisma.$disconnect();
    throw error;
  });

  const redis = createRedis(env.REDIS_URL, logger, 'server');
  const connections = {
    control: createRedis(env.REDIS_URL, logger, 'server-control', { forBullMq: true }),
    producer: createRedis(env.REDIS_URL, logger, 'server-flash-producer', { forBullMq: true }),
    results: createRedis(env.REDIS_URL, logger, 'server-results', { forBullMq: true }),
    progress: createRedis(env.REDIS_URL, logger, 'server-progress', { forBullMq: true }),
    socketPub: createRedis(env.REDIS_URL, logger, 'server-socket-pub', { forBullMq: true }),
    socketSub: createRedis(env.REDIS_URL, logger, 'server-socket-sub', { forBullMq: true }),
  };
  await waitUntilReady(redis);

  const registry = new StationRegistry(
    createStationStore({ prisma, redis, prefix: env.REDIS_PREFIX }),
    logger,
  );
  await registry.load();
  const keyring = new StationKeyring({
    prisma,
    redis,
    prefix: env.REDIS_PREFIX,
    logger,
    refreshMs: env.STATION_KEYS_REFRESH_MS,
  });
  await keyring.load();
  const monitor = new StationPresenceMonitor(redis, registry, {
    prefix: env.REDIS_PREFIX,
    pollMs: env.STATION_POLL_MS,
    logger,
  });
  const queues = new FlashQueues({
    connection: connections.producer,
    prefix: env.REDIS_PREFIX,
    logger,
  });
  const line = new StationLineService({
    prisma,
    redis,
    prefix: env.REDIS_PREFIX,
    registry,
    logger,
  });
  const store = new BlobStore(resolve(env.FIRMWARE_STORE_DIR));
  const firmware = new FirmwareRegistryService({
    prisma,
    store,
    limits: { maxUnpackedBytes: env.FIRMWARE_MAX_UNPACKED_BYTES, maxEntries: MAX_ARCHIVE_ENTRIES },
    logger,
  });
  const metrics = createServerMetrics({
    stationIds: () => registry.list().map((station) => station.stationId),
    queues,
    detail: (stationId) => line.detail(stationId),
    redis,
    prefix: env.REDIS_PREFIX,
    logger,
  });
  // Alerts are told to this instance's own clients: every instance evaluates the same line.
  let tellAlerts: (event: AlertChangedEvent) => void = () => {};
  const alerts = new AlertEvaluator({
    sources: {
      stationIds: () => keyring.stationIds(),
      detail: (stationId) => line.detail(stationId),
      heartbeat: (stationId) => monitor.heartbeat(stationId),
      figures: yieldFigures(prisma, env.LINE_TIME_ZONE, env.SHIFTS),
    },
    thresholds: alertThresholds(env),
    intervalMs: env.ALERT_EVALUATE_MS,
    deadlineMs: env.ALERT_EVALUATE_DEADLINE_MS,
    logger,
    changed: (event) => tellAlerts(event),
  });
  registerAlertGauges(metrics.registry, () => alerts.current());
  const app = await buildApp({
    logger,
    auth: { service: auth, sessionTtlMs: env.SESSION_TTL_MS, signInLimit: env.SIGN_IN_RATE_LIMIT },
    registry,
    verifyStation: (header, method, path) =>
      verifyStationAuthorization(header, method, path, (id) => keyring.signingKeyOf(id)),
    credentials: new StationCredentialService({
      prisma,
      prefix: env.REDIS_PREFIX,
      applied: (stationId) => keyring.credentialChanged(stationId),
    }),
    people: { prisma },
    flash: {
      jobs: new FlashStartService({
        prisma,
        registry,
        queues,
        keyring,
        scans: new DoubleScanGuard({
          redis,
          prefix: env.REDIS_PREFIX,
          windowMs: env.DOUBLE_SCAN_WINDOW_MS,
        }),
        labelFormats: labelFormats(env.LABEL_FORMATS),
        logger,
      }),
      line,
      prisma,
    },
    firmware: { registry: firmware, store, maxBytes: env.FIRMWARE_MAX_BYTES },
    analytics: {
      prisma,
      timeZone: env.LINE_TIME_ZONE,
      shifts: env.SHIFTS,
      unitsPerHourTarget: env.UNITS_PER_HOUR_TARGET,
    },
    metrics: { registry: metrics.registry, scrapeToken: env.METRICS_TOKEN },
    alerts: () => alerts.current(),
    socketAdapter: {
      pub: connections.socketPub,
      sub: connections.socketSub,
      key: `${env.REDIS_PREFIX}:socket.io`,
    },
    probes: { postgres: () => pingDatabase(prisma), redis: () => pingRedis(redis, env.REDIS_URL) },
    corsOrigins: env.DASHBOARD_ORIGIN,
    socketLimits: socketLimitsFromEnv(env),
    docs: env.DOCS_ENABLED,
    production: env.NODE_ENV === 'production',
    version: packageJson.version,
  });
  // Before anything can connect: every connection is tracked so a silent one cannot hold the close.
  const closeHttp = closeWithinGrace(app.server, () => app.close());
  // Flash events go to the station's room on every server instance (socket.io Redis adapter);
  // each event is emitted once, by the instance whose consumer read the stream entry.
  const emitResult = (event: FlashResultEvent) => {
    const room = app.io.to(stationRoom(event.stationId));
    room.emit('flash:result', event);
    // A slot found suspect by this result: told as any other slot status change.
    for (const decision of event.decisions ?? [])
      if (decision.kind === 'slot.suspect')
        room.emit('slot:status', {
          v: 1,
          stationId: event.stationId,
          slot: event.slot,
          status: 'suspect',
          statusReason: decision.reason,
        });
  };
  tellAlerts = (event) => app.io.local.to(ALERTS_ROOM).emit('alert:changed', event);
  const emitProgress = (batch: FlashProgressBatch) =>
    app.io.to(stationRoom(batch.stationId)).emit('flash:progress', batch);

  const consumer = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const recorder = new FlashResultRecorder({
    prisma,
    redis,
    prefix: env.REDIS_PREFIX,
    logger,
    sign: (stationId, confirmation) => keyring.sign(stationId, 'confirm', confirmation),
    emit: emitResult,
    judgement: judgementConfig(env),
    enqueue: (payload) => enqueueFlashJob({ prisma, queues, keyring, logger }, payload),
    packageIdOf: (stationId, digest) =>
      registry.get(stationId)?.packages?.find((p) => p.digest === digest)?.packageId,
    stored: (attempt) => metrics.flash.settled(attempt),
  });
  const control = new StationStreams({
    redis: connections.control,
    streamOf: (id) => stationControlStream(env.REDIS_PREFIX, id),
    open: (stationId, signed) => keyring.open(stationId, 'control', signed),
    consumer,
    logger,
    handle: createStationControlHandler({ registry, logger }),
    groupStart: '0',
    deleteHandled: true,
  });
  const results = new StationStreams({
    redis: connections.results,
    streamOf: (id) => stationResultsStream(env.REDIS_PREFIX, id),
    open: (stationId, signed) => keyring.open(stationId, 'result', signed),
    consumer,
    logger,
    handle: (entry, signal) => recorder.handle(entry, signal),
    groupStart: '0',
    deleteHandled: true,
  });
  const relay = new ProgressRelay({
    prisma,
    redis,
    prefix: env.REDIS_PREFIX,
    logger,
    emit: emitProgress,
  });
  const progress = new StationStreams({
    redis: connections.progress,
    streamOf: (id) => stationProgressStream(env.REDIS_PREFIX, id),
    open: (stationId, signed) => keyring.open(stationId, 'progress', signed),
    consumer,
    logger,
    handle: (entry) => relay.handle(entry),
    flush: () => relay.flush(),
    // 128 slots at 5 a second each: a read takes what came in while the last batch was handled.
    readCount: 1000,
    // Progress older than this is of no use to anyone: a dead server's backlog is dropped fast.
    claimIdleMs: 5000,
    groupStart: '$',
    // The station caps the stream (MAXLEN); entries are left for it to trim.
    deleteHandled: false,
  });
  // The servers listen to the stations holding a credential, and to no others.
  const follow = (stationId: string) => {
    control.follow(stationId);
    results.follow(stationId);
    progress.follow(stationId);
  };
  for (const stationId of keyring.stationIds()) follow(stationId);
  keyring.on('added', follow);

  const reconciler = new AttemptReconciler({
    prisma,
    queues,
    registry,
    heartbeat: (stationId) => monitor.heartbeat(stationId),
    // Each event is an attempt it settled (STATION_LOST, JOB_LOST): counted, then shown.
    emit: (event) => {
      metrics.flash.settled(event);
      emitResult(event);
    },
    logger,
    intervalMs: env.RECONCILE_MS,
    graceMs: env.ATTEMPT_LOST_GRACE_MS,
  });

  await monitor.poll();
  monitor.start();
  keyring.start();
  control.start();
  results.start();
  progress.start();
  reconciler.start();
  alerts.start();

  return {
    app,
    registry,
    monitor,
    reconciler,
    keyring,
    alerts,
    redis,
    shutdownSteps: [
      { name: 'http and socket.io', run: closeHttp },
      { name: 'control reader', run: () => control.stop() },
      { name: 'station credentials refresh', run: () => keyring.stop() },
      { name: 'attempt reconciler', run: () => reconciler.stop() },
      { name: 'alert evaluator', run: () => alerts.stop() },
      { name: 'result reader', run: () => results.stop() },
      { name: 'progress reader', run: () => progress.stop() },
      { name: 'flash queues', run: () => queues.close() },
      { name: 'station presence monitor', run: () => monitor.stop() },
      { name: 'postgres', run: () => prisma.$disconnect() },
      {
        name: 'redis',
        run: () =>
          Promise.all(
            [redis, ...Object.values(connections)].map((c) => c.quit().catch(() => c.disconnect())),
          ),
      },
    ],
  };
}

/**
 * The sign-in service with its badge pepper (AUTH_PEPPER, else one generated once and kept in the
 * settings table, shared by every instance), after making the first-start users.
 */
async function createAuth(
  env: ServerEnv,
  prisma: PrismaClient,
  logger: Logger,
): Promise<AuthService> {
  if (env.AUTH_PEPPER !== undefined && env.AUTH_PEPPER.length < 32) {
    logger.warn('AUTH_PEPPER is shorter than 32 characters: badges are only as secret as it is');
  }
  const pepper =
    env.AUTH_PEPPER ?? (await settingRepository.getOrCreate(prisma, 'auth_pepper', newPepper));
  const auth = new AuthService({ prisma, pepper, sessionTtlMs: env.SESSION_TTL_MS });
  // Ended sessions are of no use after a day (kept that long for a look at recent sign-outs).
  await sessionRepository.deleteEnded(prisma, new Date(Date.now() - 24 * 3_600_000));
  await ensureFirstUsers({
    prisma,
    logger,
    demoPassword: env.DEMO_PASSWORD,
    badgeLookup: (badge) => auth.badgeLookup(badge),
  });
  return auth;
}

/** The retry policy and attribution thresholds from the server's configuration. */
function judgementConfig(env: ServerEnv): JudgementConfig {
  return {
    retry: { powerMax: env.RETRY_POWER_MAX, baudFloor: env.RETRY_BAUD_FLOOR },
    thresholds: {
      suspectWindow: env.SUSPECT_WINDOW,
      suspectMinFailedModules: env.SUSPECT_MIN_FAILED_MODULES,
      suspectMinNeighbourPasses: env.SUSPECT_MIN_NEIGHBOUR_PASSES,
    },
  };
}
