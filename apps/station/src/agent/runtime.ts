import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { flashQueueName, type StationRegistration } from '@station/contracts';
import type { Logger } from '@station/logger';
import { createRedis, waitUntilReady, type ShutdownStep } from '@station/runtime';
import { Queue } from 'bullmq';
import packageJson from '../../package.json' with { type: 'json' };
import type { StationEnv } from '../env';
import { ensureDemoFirmware, listStationPackages } from '../jobs/firmware-store';
import { RegistryFetcher } from '../jobs/registry-fetch';
import { startFlashWorker } from '../jobs/flash-worker';
import { createProgressPublisher } from '../jobs/progress-publisher';
import { StationJournal } from '../journal/journal';
import { ResultOutbox } from '../journal/result-outbox';
import { settlePreviousRun } from '../journal/settle-previous-run';
import { startMetricsListener, type MetricsListener } from '../metrics/metrics-listener';
import { createStationMetrics } from '../metrics/station-metrics';
import { PortWatch } from '../slots/port-watch';
import { resolveSlots, slotStatus } from '../slots/station-slots';
import { assertStationRedisAccess } from './redis-access';
import { loadStationCredential } from './station-credential';
import { StationPresence } from './station-presence';

export interface AgentRuntime {
  registration: StationRegistration;
  /** Ordered: stop taking jobs, say goodbye, release ports, then Redis (rule 32). */
  shutdownSteps: ShutdownStep[];
}

/** How often slot adapters are looked for (unplug, re-plug, swap). */
const PORT_WATCH_MS = 1000;

/**
 * Brings the agent up: reads its credential, finds its slots (checking real ports exist), connects
 * to Redis as its own user (one clear sentence when Redis is not there or refuses the credential),
 * settles what its previous run left open (journal), registers, starts the heartbeat, the result
 * outbox and the flash worker.
 */
export async function startAgent(env: StationEnv, logger: Logger): Promise<AgentRuntime> {
  const credential = await loadStationCredential(env);
  await assertStationRedisAccess({
    redisUrl: credential.redisUrl,
    prefix: env.REDIS_PREFIX,
    stationId: env.STATION_ID,
  });
  if (env.EMULATOR) {
    const demo = await ensureDemoFirmware(env.FIRMWARE_DIR, env.DA_FILE);
    logger.info({ ...demo, firmwareDir: env.FIRMWARE_DIR }, 'demo firmware package ready');
  }
  const packages = await listStationPackages(env.FIRMWARE_DIR, (packageId, err) =>
    logger.warn({ err, packageId }, 'firmware folder is not a valid package: not announced'),
  );
  const journal = await StationJournal.open(env.JOURNAL_FILE);
  if (journal.skippedLines > 0)
    logger.warn(
      { journal: env.JOURNAL_FILE, skipped: journal.skippedLines },
      'journal lines skipped',
    );
  const {
    bindings,
    power,
    flashSlots,
    probe,
    latencyTimersMs,
    close: closeSlots,
  } = await resolveSlots(env, logger);
  const slots = bindings.map((binding) => slotStatus(binding, power));
  const offlineAtStart = bindings.filter((b) => !b.online).map((b) => b.slot);
  if (offlineAtStart.length > 0)
    logger.warn(
      { offline: offlineAtStart },
      'slots without their adapter start offline: the station serves the others',
    );
  const pool = env.UV_THREADPOOL_SIZE ?? 4;
  if (pool < 2 * slots.length)
    logger.warn(
      { UV_THREADPOOL_SIZE: pool, slots: slots.length },
      'libuv thread pool is small for this many slots: serial drains will queue (start the station with apps/station/bin/station.sh or set UV_THREADPOOL_SIZE to 2 × slots + 4)',
    );
  const redis = createRedis(credential.redisUrl, logger, `station-${env.STATION_ID}`);
  const bootId = randomUUID();
  const registration: StationRegistration = {
    v: 1,
    stationId: env.STATION_ID,
    bootId,
    hostname: hostname(),
    version: packageJson.version,
    startedAt: new Date().toISOString(),
    slots,
    packages,
  };
  const outbox = new ResultOutbox({
    redis,
    journal,
    prefix: env.REDIS_PREFIX,
    stationId: env.STATION_ID,
    signingKey: credential.signingKey,
    logger,
    confirmPollMs: env.CONFIRM_POLL_MS,
  });
  const ports = new PortWatch(bindings, probe, {
    intervalMs: PORT_WATCH_MS,
    onChange: (now, changes) => {
      logger.warn({ changes }, 'slot adapters changed: reported to the server');
      // A usb-serial adapter may come back under another tty name: jobs open where it is now.
      for (const binding of now) {
        const slot = flashSlots.find((s) => s.slot === binding.slot);
        if (slot && binding.online) slot.path = binding.path;
      }
      presence.updateSlots(now.map((binding) => slotStatus(binding, power)));
    },
    onError: (err) => logger.warn({ err }, 'looking for slot adapters failed'),
  });
  const presence: StationPresence = new StationPresence(redis, registration, {
    prefix: env.REDIS_PREFIX,
    signingKey: credential.signingKey,
    intervalMs: env.HEARTBEAT_INTERVAL_MS,
    ttlMs: env.HEARTBEAT_TTL_MS,
    logger,
    snapshot: () => ({
      active: journal.openAttempts().map((a) => a.attemptId),
      unconfirmed: journal.unconfirmed().map((m) => m.result.attemptId),
      offlineSlots: ports.offlineSlots(),
    }),
    onKeyLost: () => void outbox.republishAll('redis lost our keys'),
  });
  const metrics = createStationMetrics({
    stationId: env.STATION_ID,
    slots: bindings.map((binding) => binding.slot),
    offlineSlots: () => ports.offlineSlots(),
    openSlots: () => journal.openAttempts().map((attempt) => attempt.slot),
    unconfirmedCount: () => journal.unconfirmed().length,
    latencyTimersMs,
  });
  let metricsListener: MetricsListener | undefined;
  const queue = new Queue(flashQueueName(env.STATION_ID), {
    connection: redis,
    prefix: env.REDIS_PREFIX,
  });
  queue.on('error', (err) => logger.warn({ err }, 'flash queue error'));
  let flashWorker: Awaited<ReturnType<typeof startFlashWorker>> | undefined;
  try {
    await waitUntilReady(redis);
    await settlePreviousRun({
      stationId: env.STATION_ID,
      signingKey: credential.signingKey,
      bootId,
      journal,
      queue,
      logger,
    });
    outbox.start();
    ports.start();
    flashWorker = await startFlashWorker({
      stationId: env.STATION_ID,
      signingKey: credential.signingKey,
      bootId,
      slots: flashSlots,
      redisUrl: credential.redisUrl,
      prefix: env.REDIS_PREFIX,
      firmwareDir: env.FIRMWARE_DIR,
      daFile: env.DA_FILE,
      tracePassed: env.TRACE_PASSED,
      flashMode: env.FLASH_MODE,
      bootLoaders: env.FLASH_BOOT_LOADERS,
      registry: new RegistryFetcher({
        serverUrl: env.SERVER_URL,
        stationId: env.STATION_ID,
        signingKey: credential.signingKey,
        firmwareDir: env.FIRMWARE_DIR,
        logger,
      }),
      logger,
      journal,
      outbox,
      publishProgress: createProgressPublisher({
        redis,
        prefix: env.REDIS_PREFIX,
        stationId: env.STATION_ID,
        signingKey: credential.signingKey,
        logger,
      }),
      serialWritten: (slot, bytes) => metrics.serialWritten(slot, bytes),
    });
    if (env.METRICS_PORT !== undefined)
      metricsListener = await startMetricsListener({
        registry: metrics.registry,
        host: env.METRICS_HOST,
        port: env.METRICS_PORT,
        token: env.METRICS_TOKEN,
        logger,
      });
    await presence.start();
  } catch (error) {
    await metricsListener?.close();
    await flashWorker?.close();
    await ports.stop();
    await outbox.stop().catch(() => {});
    await queue.close().catch(() => {});
    redis.disconnect();
    await closeSlots();
    await journal.close();
    throw error;
  }
  const worker = flashWorker;

  return {
    registration,
    shutdownSteps: [
      { name: 'flash-worker', run: () => worker.close() },
      { name: 'result outbox', run: () => outbox.stop() },
      // Before the goodbye: a change seen after it would register the station again.
      { name: 'port watch', run: () => ports.stop() },
      { name: 'unregister', run: () => presence.stop() },
      { name: 'slots', run: closeSlots },
      { name: 'flash queue', run: () => queue.close() },
      { name: 'journal', run: () => journal.close() },
      { name: 'metrics listener', run: () => metricsListener?.close() ?? Promise.resolve() },
      { name: 'redis', run: () => redis.quit() },
    ],
  };
}
