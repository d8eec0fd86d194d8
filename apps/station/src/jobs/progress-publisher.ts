// Progress leaves the station on its capped progress stream (contracts results.ts): fire and
// forget, because only fresh progress matters and the result says the rest. Signed like every
// station message: the server shows no progress it cannot tie to this station's key.
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
  return (message) => {
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
        deps.logger.debug({ err, attemptId: message.attemptId }, 'progress not published'),
      );
  };
}
