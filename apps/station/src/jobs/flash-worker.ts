// The station's flash worker (design §2): one BullMQ Worker on this station's queue, one job per
// slot at a time, closed first in the agent's shutdown.
import { flashQueueName, type FlashRunResult } from '@station/contracts';
import type { Logger } from '@station/logger';
import { createRedis } from '@station/runtime';
import { Worker } from 'bullmq';
import { PortRegistry } from '../ports/port-registry';
import { createFlashRunProcessor, type FlashSlot } from './flash-run.processor';

/**
 * Longer than the longest stage (a 6 MB write at the 115200 fallback takes about 9 minutes), so
 * the lock never lapses under a slow flash even if the event loop stalls a renewal. It also bounds
 * how long a crashed station's job stays locked before BullMQ fails it as stalled.
 */
export const FLASH_LOCK_MS = 10 * 60_000;

export interface FlashWorkerOptions {
  stationId: string;
  slots: FlashSlot[];
  redisUrl: string;
  prefix: string;
  firmwareDir: string;
  daFile: string;
  logger: Logger;
  /** How long close() lets running flashes finish before aborting them (they end 'interrupted'). */
  drainMs: number;
  /** Minimum gap between progress events (default 200 ms = 5 per second). */
  progressIntervalMs?: number;
}

export interface FlashWorker {
  worker: Worker<unknown, FlashRunResult>;
  /** Stops taking jobs, lets running flashes finish (or aborts them after drainMs), disconnects. */
  close(): Promise<void>;
}

export async function startFlashWorker(options: FlashWorkerOptions): Promise<FlashWorker> {
  const { logger } = options;
  const stopping = new AbortController();
  const shutdown = new AbortController();
  const connection = createRedis(options.redisUrl, logger, `flash-${options.stationId}`, {
    forBullMq: true,
  });
  const processor = createFlashRunProcessor({
    stationId: options.stationId,
    slots: new Map(options.slots.map((slot) => [slot.slot, slot])),
    ports: new PortRegistry(),
    firmwareDir: options.firmwareDir,
    daFile: options.daFile,
    logger,
    stopping: stopping.signal,
    shutdown: shutdown.signal,
    progressIntervalMs: options.progressIntervalMs,
  });
  const worker = new Worker<unknown, FlashRunResult>(flashQueueName(options.stationId), processor, {
    connection,
    prefix: options.prefix,
    // Every slot can flash at once; a second job for a busy slot waits for its lease.
    concurrency: Math.max(1, options.slots.length),
    lockDuration: FLASH_LOCK_MS,
    // A flash interrupted by a crash is never re-run behind the server's back: it fails as
    // stalled and the server records the attempt as interrupted (design §5).
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
    stopping.abort(new Error('station shutting down'));
    const abortLater = setTimeout(
      () => shutdown.abort(new Error('station shutting down')),
      options.drainMs,
    );
    try {
      await worker.close();
    } finally {
      clearTimeout(abortLater);
      await connection.quit().catch(() => connection.disconnect());
    }
  };
  return { worker, close: () => (closing ??= close()) };
}
