import { createPrismaClient, pingDatabase } from '@station/db';
import type { Logger } from '@station/logger';
import {
  assertRedisReachable,
  createRedis,
  pingRedis,
  waitUntilReady,
  type ShutdownStep,
} from '@station/runtime';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import packageJson from '../package.json' with { type: 'json' };
import { buildApp, type App } from './app';
import { FLASH_ROOM } from '@station/contracts';
import type { ServerEnv } from './env';
import { FlashJobService } from './services/flash-job.service';
import { FlashQueues } from './services/flash-queues';
import { reconcileOpenAttempts } from './services/flash-reconcile';
import { FlashResultRecorder, type FlashEventSink } from './services/flash-results.service';
import { createStationControlWorker } from './services/station-control.worker';
import { createStationStore } from './services/station.store';
import { StationPresenceMonitor } from './services/station-presence.service';
import { StationRegistry } from './services/station-registry.service';

export interface ServerRuntime {
  app: App;
  registry: StationRegistry;
  monitor: StationPresenceMonitor;
  worker: Worker;
  redis: Redis;
  /** Ordered: stop serving, stop consuming, then close connections (rule 32). */
  shutdownSteps: ShutdownStep[];
}

/**
 * Connects to Postgres and Redis (failing with one clear sentence when either is missing),
 * loads known stations, starts the control worker and the presence monitor, and builds the app.
 * The caller listens and installs the signal handlers.
 */
export async function createServerRuntime(env: ServerEnv, logger: Logger): Promise<ServerRuntime> {
  await assertRedisReachable(env.REDIS_URL);
  const prisma = createPrismaClient(env.DATABASE_URL);
  try {
    await pingDatabase(prisma);
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }

  const redis = createRedis(env.REDIS_URL, logger, 'server');
  const workerConnection = createRedis(env.REDIS_URL, logger, 'server-worker', { forBullMq: true });
  await waitUntilReady(redis);

  const registry = new StationRegistry(
    createStationStore({ prisma, redis, prefix: env.REDIS_PREFIX }),
    logger,
  );
  await registry.load();
  const monitor = new StationPresenceMonitor(redis, registry, {
    prefix: env.REDIS_PREFIX,
    pollMs: env.STATION_POLL_MS,
    logger,
  });
  const worker = createStationControlWorker({
    connection: workerConnection,
    prefix: env.REDIS_PREFIX,
    registry,
    logger,
  });
  // The sink is bound to socket.io once the app exists; events before that have no audience.
  let sink: FlashEventSink = { progress: () => {}, result: () => {} };
  const recorder = new FlashResultRecorder({
    prisma,
    logger,
    sink: { progress: (e) => sink.progress(e), result: (e) => sink.result(e) },
  });
  const queues = new FlashQueues({
    redisUrl: env.REDIS_URL,
    prefix: env.REDIS_PREFIX,
    logger,
    onWatch: (stationId, events) => recorder.attach(stationId, events),
  });
  const watch = (stationId: string) =>
    queues
      .watch(stationId)
      .catch((err: unknown) => logger.error({ err, stationId }, 'cannot listen to flash queue'));
  for (const stationId of registry.stationIds()) void watch(stationId);
  registry.on('update', (station) => {
    if (station.connected) void watch(station.stationId);
  });
  const flashJobs = new FlashJobService({ prisma, registry, queues, logger });
  const app = await buildApp({
    logger,
    registry,
    flash: { jobs: flashJobs, prisma },
    probes: { postgres: () => pingDatabase(prisma), redis: () => pingRedis(redis, env.REDIS_URL) },
    corsOrigins: env.DASHBOARD_ORIGIN,
    docs: env.DOCS_ENABLED,
    production: env.NODE_ENV === 'production',
    version: packageJson.version,
  });
  sink = {
    progress: (event) => app.io.to(FLASH_ROOM).emit('flash:progress', event),
    result: (event) => app.io.to(FLASH_ROOM).emit('flash:result', event),
  };
  await reconcileOpenAttempts({ prisma, queues, recorder, logger }).catch((err: unknown) =>
    logger.error({ err }, 'reconciling open attempts failed'),
  );
  await monitor.poll();
  monitor.start();

  return {
    app,
    registry,
    monitor,
    worker,
    redis,
    shutdownSteps: [
      { name: 'http and socket.io', run: () => app.close() },
      { name: 'station control worker', run: () => worker.close() },
      { name: 'flash queues', run: () => queues.close() },
      { name: 'station presence monitor', run: () => monitor.stop() },
      { name: 'postgres', run: () => prisma.$disconnect() },
      { name: 'redis', run: () => Promise.all([redis.quit(), workerConnection.quit()]) },
    ],
  };
}
