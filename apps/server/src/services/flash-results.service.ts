import {
  AttemptNotOpenError,
  attemptRepository,
  NotFoundError as DbNotFoundError,
  type FinishAttemptInput,
  type PrismaClient,
} from '@station/db';
import {
  FlashRunProgress,
  FlashRunResult,
  type FlashProgressEvent,
  type FlashResultEvent,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import type { QueueEvents } from 'bullmq';
import { dbStage } from './flash-stage';

export interface FlashEventSink {
  progress(event: FlashProgressEvent): void;
  result(event: FlashResultEvent): void;
}

interface AttemptContext {
  stationId: string;
  slot: number;
  imei: string;
}

const JOB_FAILED_HINT = 'The flash did not complete on the station: flash the module again.';

/**
 * Turns a station's flash queue events into stored attempts and dashboard events. A result is
 * committed (attempt finished + module status, one transaction) before `flash:result` goes out;
 * while Postgres is down the commit is retried with backoff, and nothing is emitted until it lands.
 */
export class FlashResultRecorder {
  private readonly contexts = new Map<string, AttemptContext>();

  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      sink: FlashEventSink;
      logger: Logger;
      /** Commit tries and the first backoff (doubling, capped at 5 s). */
      retry?: { attempts: number; firstDelayMs: number };
    },
  ) {}

  attach(stationId: string, events: QueueEvents): void {
    const log = this.deps.logger;
    events.on('progress', ({ jobId, data }) => {
      this.relayProgress(jobId, data).catch((err: unknown) =>
        log.warn({ err, jobId, stationId }, 'flash progress not relayed'),
      );
    });
    events.on('completed', ({ jobId, returnvalue }) => {
      void this.recordCompleted(jobId, returnvalue);
    });
    events.on('failed', ({ jobId, failedReason }) => {
      void this.recordFailed(jobId, failedReason);
    });
  }

  private async context(attemptId: string): Promise<AttemptContext | undefined> {
    const cached = this.contexts.get(attemptId);
    if (cached) return cached;
    const attempt = await this.deps.prisma.flashAttempt.findUnique({
      where: { id: attemptId },
      select: { module: { select: { imei: true } }, slot: true, station: true },
    });
    if (!attempt) return undefined;
    const context = {
      stationId: attempt.station.code,
      slot: attempt.slot.index + 1,
      imei: attempt.module.imei,
    };
    this.contexts.set(attemptId, context);
    return context;
  }

  private async relayProgress(attemptId: string, data: unknown): Promise<void> {
    const progress = FlashRunProgress.safeParse(data);
    const context = progress.success ? await this.context(attemptId) : undefined;
    if (!progress.success || !context) return;
    const { stage, percent } = progress.data;
    this.deps.sink.progress({ v: 1, attemptId, ...context, stage, percent });
  }

  /** A `flash.run` job that returned: the station's FlashRunResult. */
  async recordCompleted(attemptId: string, returnvalue: unknown): Promise<void> {
    const value = typeof returnvalue === 'string' ? safeJson(returnvalue) : returnvalue;
    const parsed = FlashRunResult.safeParse(value);
    if (!parsed.success) {
      await this.recordFailed(
        attemptId,
        `station returned an invalid result: ${parsed.error.message}`,
      );
      return;
    }
    const r = parsed.data;
    await this.commitAndEmit(
      attemptId,
      {
        outcome: r.outcome,
        stageReached: dbStage(r.stage),
        errorCode: r.errorCode,
        errorName: r.errorName,
        errorMessage: r.message ?? null,
        stageTimings: r.stageTimings,
        baud: r.baud,
        bytesWritten: r.bytesWritten,
        revisionBefore: r.revisionBefore,
        revisionAfter: r.revisionAfter,
        reportedImei: r.imeiRead,
      },
      { stage: r.stage, operatorHint: r.operatorHint ?? null },
    );
  }

  /** A `flash.run` job that failed in BullMQ (stalled by a crash, or unrecoverable). */
  async recordFailed(attemptId: string, reason: string): Promise<void> {
    const stalled = /stalled/i.test(reason);
    await this.commitAndEmit(
      attemptId,
      { outcome: stalled ? 'interrupted' : 'failed', errorMessage: reason },
      { stage: null, operatorHint: JOB_FAILED_HINT },
    );
  }

  private async commitAndEmit(
    attemptId: string,
    finish: FinishAttemptInput,
    extra: { stage: string | null; operatorHint: string | null },
  ): Promise<void> {
    const log = this.deps.logger;
    const { attempts, firstDelayMs } = this.deps.retry ?? { attempts: 8, firstDelayMs: 250 };
    for (let tryNumber = 1; ; tryNumber += 1) {
      try {
        const event = await this.commit(attemptId, finish, extra);
        this.contexts.delete(attemptId);
        this.deps.sink.result(event);
        log.info(
          { attemptId, outcome: event.outcome, errorName: event.errorName },
          'flash result stored',
        );
        return;
      } catch (err) {
        if (err instanceof AttemptNotOpenError || err instanceof DbNotFoundError) {
          // Already finished (e.g. by the start-up reconcile) or not ours: nothing to emit.
          log.warn({ err, attemptId }, 'flash result for an attempt that is not open: ignored');
          return;
        }
        if (tryNumber >= attempts) {
          log.error({ err, attemptId, finish }, 'flash result could not be stored: not shown');
          return;
        }
        const delay = Math.min(firstDelayMs * 2 ** (tryNumber - 1), 5000);
        log.warn({ err, attemptId, tryNumber, delay }, 'storing flash result failed: retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async commit(
    attemptId: string,
    finish: FinishAttemptInput,
    extra: { stage: string | null; operatorHint: string | null },
  ): Promise<FlashResultEvent> {
    return this.deps.prisma.$transaction(async (tx) => {
      const attempt = await attemptRepository.finish(tx, attemptId, finish);
      const module = await tx.module.findUniqueOrThrow({ where: { id: attempt.moduleId } });
      const blocked = module.status === 'quarantined' || module.status === 'scrapped';
      if (!blocked && (attempt.outcome === 'passed' || attempt.outcome === 'failed')) {
        const revision = attempt.revisionAfter ?? attempt.revisionBefore;
        await tx.module.update({
          where: { id: module.id },
          data: { status: attempt.outcome, ...(revision ? { currentRevision: revision } : {}) },
        });
      }
      const [slot, station] = await Promise.all([
        tx.slot.findUniqueOrThrow({ where: { id: attempt.slotId } }),
        tx.station.findUniqueOrThrow({ where: { id: attempt.stationId } }),
      ]);
      const passed = attempt.outcome === 'passed';
      return {
        v: 1 as const,
        attemptId,
        stationId: station.code,
        slot: slot.index + 1,
        imei: module.imei,
        outcome: attempt.outcome as FlashResultEvent['outcome'],
        errorCode: attempt.errorCode,
        errorName: attempt.errorName,
        stage: extra.stage ?? attempt.stageReached,
        operatorHint: passed ? null : extra.operatorHint,
        revisionBefore: attempt.revisionBefore,
        revisionAfter: attempt.revisionAfter,
        durationMs: Math.max(0, (attempt.endedAt?.getTime() ?? 0) - attempt.startedAt.getTime()),
      };
    });
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
