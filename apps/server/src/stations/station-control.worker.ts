import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import {
  STATION_CONTROL_QUEUE,
  StationRegisterJob,
  StationUnregisterJob,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import type { StationRegistry } from './station-registry.service';

/** Parses a job payload; a malformed one can never succeed, so BullMQ must not retry it. */
function parsePayload<S extends z.ZodType>(schema: S, job: Job): z.output<S> {
  const result = schema.safeParse(job.data);
  if (!result.success) {
    throw new UnrecoverableError(`invalid ${job.name} payload: ${result.error.message}`);
  }
  return result.data;
}

/**
 * Consumes the station control queue: agents announce themselves and say goodbye through it, so
 * stations never need database credentials (design §2).
 */
export function createStationControlWorker(deps: {
  connection: Redis;
  prefix: string;
  registry: StationRegistry;
  logger: Logger;
}): Worker {
  const { registry, logger } = deps;
  const worker = new Worker(
    STATION_CONTROL_QUEUE,
    async (job) => {
      switch (job.name) {
        case StationRegisterJob.name:
          await registry.register(parsePayload(StationRegisterJob.payload, job));
          return { v: 1, accepted: true };
        case StationUnregisterJob.name:
          registry.unregister(parsePayload(StationUnregisterJob.payload, job));
          return { v: 1, accepted: true };
        default:
          throw new UnrecoverableError(`unknown station control job "${job.name}"`);
      }
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on('error', (err) => logger.error({ err }, 'station control worker error'));
  worker.on('failed', (job, err) =>
    logger.warn({ err, jobId: job?.id, jobName: job?.name }, 'station control job failed'),
  );
  return worker;
}
