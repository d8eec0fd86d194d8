import type { PrismaClient } from '@station/db';
import type { Logger } from '@station/logger';
import type { FlashQueues } from './flash-queues';
import type { FlashResultRecorder } from './flash-results.service';

/**
 * At start: attempts still `running` whose job already finished while the server was away get
 * their result now (the job is looked up by id, which is the attempt id). Jobs still waiting or
 * active are left to the live listeners.
 */
export async function reconcileOpenAttempts(deps: {
  prisma: PrismaClient;
  queues: FlashQueues;
  recorder: FlashResultRecorder;
  logger: Logger;
}): Promise<number> {
  const open = await deps.prisma.flashAttempt.findMany({
    where: { endedAt: null, jobId: { not: null } },
    select: { id: true, jobId: true, station: { select: { code: true } } },
  });
  let settled = 0;
  for (const attempt of open) {
    const job = await deps.queues.queue(attempt.station.code).getJob(attempt.jobId!);
    if (!job) continue;
    const state = await job.getState();
    if (state === 'completed') await deps.recorder.recordCompleted(attempt.id, job.returnvalue);
    else if (state === 'failed') await deps.recorder.recordFailed(attempt.id, job.failedReason);
    else continue;
    settled += 1;
  }
  if (settled > 0) deps.logger.info({ settled }, 'finished attempts whose jobs ended while away');
  return settled;
}
