// Progress leaves the station on its capped progress stream (contracts results.ts): fire and
// forget, because only fresh progress matters and the result says the rest.
import {
  PROGRESS_STREAM_MAXLEN,
  STREAM_MESSAGE_FIELD,
  stationProgressStream,
  type StationProgressMessage,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import type { Redis } from 'ioredis';

export type ProgressPublisher = (message: StationProgressMessage) => void;

export function createProgressPublisher(deps: {
  redis: Redis;
  prefix: string;
  stationId: string;
  logger: Logger;
}): ProgressPublisher {
  const stream = stationProgressStream(deps.prefix, deps.stationId);
  return (message) => {
    deps.redis
      .xadd(
        stream,
        'MAXLEN',
        '~',
        PROGRESS_STREAM_MAXLEN,
        '*',
        STREAM_MESSAGE_FIELD,
        JSON.stringify(message),
      )
      .catch((err: unknown) =>
        deps.logger.debug({ err, attemptId: message.attemptId }, 'progress not published'),
      );
  };
}
