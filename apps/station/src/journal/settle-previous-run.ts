// A restarted station settles what its previous run left open, at once (design §9): attempts the
// journal saw start but not finish, and jobs BullMQ still holds as active for the dead worker
// (taken but not yet journaled). Both end `interrupted`, journaled like any result; the outbox
// publishes them as it starts. A held job no server signed gets no result: BullMQ fails it as
// stalled, as the worker would have refused it.
import { FlashRunPayload, type StationResultMessage } from '@station/contracts';
import type { Logger } from '@station/logger';
import { openMessage } from '@station/trust';
import type { Queue } from 'bullmq';
import { interruptedResult } from '../jobs/flash-run.result';
import type { StationJournal } from './journal';

export async function settlePreviousRun(deps: {
  stationId: string;
  /** The station's HMAC key: jobs are signed messages (contracts FlashRunJob). */
  signingKey: string;
  bootId: string;
  journal: StationJournal;
  /** This station's flash queue; read before this boot's worker starts taking jobs. */
  queue: Queue;
  logger: Logger;
}): Promise<number> {
  const { journal, stationId, bootId } = deps;
  const messages: StationResultMessage[] = journal.openAttempts().map((open) => ({
    v: 1,
    stationId,
    bootId,
    slot: open.slot,
    imei: open.imei,
    result: interruptedResult({
      attemptId: open.attemptId,
      stage: open.stage,
      baud: open.baud,
      errorName: 'STATION_RESTARTED',
      message: `the station restarted while this flash was at ${open.stage}`,
    }),
  }));
  for (const job of await deps.queue.getActive()) {
    const opened = openMessage(deps.signingKey, 'job', job.data);
    if (!opened.ok) {
      deps.logger.warn({ jobId: job.id, problem: opened.reason }, 'left an unsigned job unsettled');
      continue;
    }
    const payload = FlashRunPayload.safeParse(opened.message);
    if (!payload.success || payload.data.stationId !== stationId) continue;
    if (journal.knows(payload.data.attemptId)) continue;
    messages.push({
      v: 1,
      stationId,
      bootId,
      slot: payload.data.slot,
      imei: payload.data.imei,
      result: interruptedResult({
        attemptId: payload.data.attemptId,
        stage: 'queued',
        baud: payload.data.baud,
        errorName: 'STATION_RESTARTED',
        message: 'the station restarted after taking this job, before the flash began',
      }),
    });
  }
  // Journaled only: the outbox publishes everything unconfirmed when it starts, these included.
  for (const message of messages) await journal.recordResult(message);
  if (messages.length > 0)
    deps.logger.warn(
      { attempts: messages.map((m) => m.result.attemptId) },
      'settled attempts the previous run left open as interrupted',
    );
  return messages.length;
}
