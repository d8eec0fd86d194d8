// Progress leaves the station on its capped progress stream (contracts results.ts): fire and
// forget, because only fresh progress matters and the result says the rest. Signed like every
// station message: the server shows no progress it cannot tie to this station's key.
// Every slot's progress of a batch window leaves as one signed stream entry (one XADD, one HMAC
// here, one read, check and dashboard event at the server): at 128 slots an entry per item was
// 640 a second and most of the server's CPU while flashing (docs/speed-work.md §23). A lone
// event after a quiet window leaves on the next turn, so one slot's progress is not delayed.
import {
  PROGRESS_BATCH_MAX,
  PROGRESS_STREAM_MAXLEN,
  STREAM_MESSAGE_FIELD,
  STREAM_SIGNATURE_FIELD,
  stationProgressStream,
  type StationProgressBatch,
  type StationProgressMessage,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import { signMessage } from '@station/trust';
import type { Redis } from 'ioredis';

/**
 * At most one progress entry per this window (plus one per full batch). Well inside the design's
 * 250 ms from the module to the dashboard; 20 entries a second however many slots flash.
 */
export const PROGRESS_BATCH_MS = 50;

export type ProgressPublisher = (message: StationProgressMessage) => void;

export function createProgressPublisher(deps: {
  redis: Redis;
  prefix: string;
  stationId: string;
  signingKey: string;
  logger: Logger;
}): ProgressPublisher {
  const stream = stationProgressStream(deps.prefix, deps.stationId);
  let batch: StationProgressMessage[] = [];
  let lastFlush = -Infinity;
  let scheduled: { cancel(): void } | undefined;

  const flush = (): void => {
    scheduled = undefined;
    const progress = batch;
    batch = [];
    if (progress.length === 0) return;
    lastFlush = performance.now();
    const message: StationProgressBatch = { v: 1, stationId: deps.stationId, progress };
    const { m, s } = signMessage(deps.signingKey, 'progress', message);
    deps.redis
      .xadd(
        stream,
        'MAXLEN',
        '~',
        PROGRESS_STREAM_MAXLEN,
        '*',
        STREAM_MESSAGE_FIELD,
        m,
        STREAM_SIGNATURE_FIELD,
        s,
      )
      .catch((err: unknown) =>
        deps.logger.debug({ err, items: progress.length }, 'progress not published'),
      );
  };

  const schedule = (): void => {
    const wait = lastFlush + PROGRESS_BATCH_MS - performance.now();
    if (wait <= 0) {
      const immediate = setImmediate(flush);
      scheduled = { cancel: () => clearImmediate(immediate) };
      return;
    }
    // Progress is lossy by design: a pending batch never holds a stopping agent open.
    const timer = setTimeout(flush, wait).unref();
    scheduled = { cancel: () => clearTimeout(timer) };
  };

  return (message) => {
    batch.push(message);
    if (batch.length >= PROGRESS_BATCH_MAX) {
      scheduled?.cancel();
      flush();
      return;
    }
    if (!scheduled) schedule();
  };
}
