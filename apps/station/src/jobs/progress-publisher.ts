// Progress leaves the station on its capped progress stream (contracts results.ts): fire and
// forget, because only fresh progress matters and the result says the rest. Signed like every
// station message: the server shows no progress it cannot tie to this station's key.
// Many slots' throttled events fall due in the same few milliseconds: those published in one turn
// of the event loop leave as one pipeline (one socket write) instead of one write per XADD.
import {
  PROGRESS_STREAM_MAXLEN,
  STREAM_MESSAGE_FIELD,
  STREAM_SIGNATURE_FIELD,
  stationProgressStream,
  type StationProgressMessage,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import { signMessage } from '@station/trust';
import type { Redis } from 'ioredis';

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
  const flush = (): void => {
    const messages = batch;
    batch = [];
    const pipeline = deps.redis.pipeline();
    for (const message of messages) {
      const { m, s } = signMessage(deps.signingKey, 'progress', message);
      pipeline.xadd(
        stream,
        'MAXLEN',
        '~',
        PROGRESS_STREAM_MAXLEN,
        '*',
        STREAM_MESSAGE_FIELD,
        m,
        STREAM_SIGNATURE_FIELD,
        s,
      );
    }
    pipeline
      .exec()
      .then((replies) => {
        replies?.forEach(([err], i) => {
          if (err)
            deps.logger.debug({ err, attemptId: messages[i]?.attemptId }, 'progress not published');
        });
      })
      .catch((err: unknown) => deps.logger.debug({ err }, 'progress not published'));
  };
  return (message) => {
    if (batch.length === 0) setImmediate(flush);
    batch.push(message);
  };
}
