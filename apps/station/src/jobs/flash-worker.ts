// The station's flash worker (design §2): one BullMQ Worker on this station's queue, one job per
// slot at a time, closed first in the agent's shutdown.
import { flashQueueName, type FlashRunResult } from '@station/contracts';
import type { Logger } from '@station/logger';
import type { FlashMode } from '@station/mtk';
import { createRedis } from '@station/runtime';
import { Worker } from 'bullmq';
import type { StationJournal } from '../journal/journal';
import type { ResultOutbox } from '../journal/result-outbox';
import { PortRegistry } from '../ports/port-registry';
import type { RegistryFetcher } from './registry-fetch';
import { createFlashRunProcessor, type FlashSlot } from './flash-run.processor';
import type { ProgressPublisher } from './progress-publisher';

/**
 * BullMQ renews the lock every half of this. The job's lock is not what keeps a result safe (the
 * journal is), so it can be short: after a crash the orphaned job fails as stalled within this
 * time instead of blocking anything for minutes.
 */
export const FLASH_LOCK_MS = 30_000;

export interface FlashWorkerOptions {
  stationId: string;
  /** The station's HMAC key: only jobs signed with it are flashed. */
  signingKey: string;
  bootId: string;
  slots: FlashSlot[];
  /** The station's own Redis user (agent/station-credential.ts). */
  redisUrl: string;
  prefix: string;
  firmwareDir: string;
  daFile: string;
  /** Send the protocol trace with passed attempts too (TRACE_PASSED). */
  tracePassed?: boolean;
  /** firmware-upgrade (default) or format-all, and boot loaders, for every job (FlashRunDeps). */
  flashMode?: FlashMode;
  bootLoaders?: boolean;
  /** Fetches registry packages the station does not hold (registry-fetch.ts). */
  registry?: RegistryFetcher;
  logger: Logger;
  journal: StationJournal;
  outbox: ResultOutbox;
  publishProgress: ProgressPublisher;
  /** Minimum gap between progress events (default 200 ms = 5 per second). */
  progressIntervalMs?: number;
  /** Told the bytes written to a slot's adapter as they go (metrics). */
  serialWritten?: (slot: number, bytes: number) => void;
}

export interface FlashWorker {
  worker: Worker<unknown, FlashRunResult>;
  /**
   * Stops taking jobs and cuts running flashes short at once: each ends `interrupted` at the
   * stage it reached, journaled and published, before the worker lets go of Redis.
   */
  close(): Promise<void>;
}

export async function startFlashWorker(options: FlashWorkerOptions): Promise<FlashWorker> {
  const { logger } = options;
  const shutdown = new AbortController();
  const connection = createRedis(options.redisUrl, logger, `flash-${options.stationId}`, {
    forBullMq: true,
  });
  const processor = createFlashRunProcessor({
    stationId: options.stationId,
    signingKey: options.signingKey,
    bootId: options.bootId,
    slots: new Map(options.slots.map((slot) => [slot.slot, slot])),
    ports: new PortRegistry(),
    firmwareDir: options.firmwareDir,
    daFile: options.daFile,
    tracePassed: options.tracePassed ?? false,
    flashMode: options.flashMode,
    bootLoaders: options.bootLoaders,
    registry: options.registry,
    logger,
    journal: options.journal,
    outbox: options.outbox,
    publishProgress: options.publishProgress,
    shutdown: shutdown.signal,
    progressIntervalMs: options.progressIntervalMs,
    serialWritten: options.serialWritten,
  });
  const worker = new Worker<unknown, FlashRunResult>(flashQueueName(options.stationId), processor, {
    connection,
    prefix: options.prefix,
    // Every slot can flash at once; a second job for a busy slot waits for its lease.
    concurrency: Math.max(1, options.slots.length),
    lockDuration: FLASH_LOCK_MS,
    // A flash interrupted by a crash is never re-run behind the server's back: it fails as
    // stalled; the restarted station settles it from its journal (design §5, §9).
    maxStalledCount: 0,
  });
  worker.on('error', (err) => logger.error({ err }, 'flash worker error'));
  worker.on('failed', (job, err) =>
    logger.error({ err, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'flash.run job failed'),
  );
  try {
    await worker.waitUntilReady();
  } catch (error) {
    await worker.close(true);
    connection.disconnect();
    throw error;
  }
  logger.info(
    { queue: flashQueueName(options.stationId), slots: options.slots.length },
    'flash worker started',
  );
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    shutdown.abort(new Error('station shutting down'));
    try {
      await worker.close();
    } finally {
      await connection.quit().catch(() => connection.disconnect());
    }
  };
  return { worker, close: () => (closing ??= close()) };
}
