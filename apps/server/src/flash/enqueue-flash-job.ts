// Handing an opened attempt's signed `flash.run` job to its station's queue: the one path a scan
// (FlashStartService) and a retry (FlashResultRecorder) share. An attempt Redis would not take is
// settled as interrupted, so no slot stays blocked by a job that never existed.
import { FlashRunJob, type FlashRunPayload } from '@station/contracts';
import { attemptRepository, type PrismaClient } from '@station/db';
import type { Logger } from '@station/logger';
import { AppError } from '../errors';
import type { StationKeyring } from '../stations/station-keyring';
import type { FlashQueues } from './flash-queues';
import { withDeadline } from './with-deadline';

/** How long a scan waits for Redis to take the job before answering 503. */
const ENQUEUE_DEADLINE_MS = 5000;

export interface EnqueueFlashJobDeps {
  prisma: PrismaClient;
  queues: FlashQueues;
  /** Jobs go signed with the station's key. */
  keyring: Pick<StationKeyring, 'sign'>;
  logger: Logger;
}

/** Queues the job (its id is the attempt's); throws QUEUE_UNAVAILABLE (503) once it is settled. */
export async function enqueueFlashJob(
  deps: EnqueueFlashJobDeps,
  payload: FlashRunPayload,
): Promise<void> {
  const { prisma, queues, logger } = deps;
  try {
    await withDeadline(
      queues
        .queue(payload.stationId)
        .add(FlashRunJob.name, deps.keyring.sign(payload.stationId, 'job', payload), {
          ...FlashRunJob.defaults,
          jobId: payload.attemptId,
        }),
      ENQUEUE_DEADLINE_MS,
    );
  } catch (error) {
    await attemptRepository
      .interruptOpen(prisma, {
        attemptIds: [payload.attemptId],
        errorName: 'QUEUE_UNAVAILABLE',
        message: 'the job could not be queued: Redis did not take it',
        operatorHint: 'The flash could not be started: scan the module again.',
      })
      .catch((err: unknown) =>
        logger.error({ err, attemptId: payload.attemptId }, 'could not close unqueued attempt'),
      );
    throw new AppError(
      'QUEUE_UNAVAILABLE',
      'The flash job could not be queued: Redis is not reachable',
      503,
      { cause: error },
    );
  }
}
