// Stores a station's result, then confirms it to the station, then tells the screens — in that
// order (design §9): nothing is shown before it is stored, and a result is acknowledged only
// after the commit. While Postgres is away the commit is retried without giving up. The line's
// judgement (a retry, attribution decisions) is made in the same transaction as the result; a
// retry's job is queued after the commit.
import {
  FlashRunPayload,
  StationResultMessage,
  stationConfirmedKey,
  type FlashBaud,
  type FlashResultEvent,
  type ResultConfirmation,
  type RetryPlan,
} from '@station/contracts';
import {
  attemptRepository,
  NotFoundError,
  runTransaction,
  stationRepository,
  type FlashAttempt,
  type PrismaClient,
} from '@station/db';
import type { Logger } from '@station/logger';
import type { SignedMessage } from '@station/trust';
import type { Redis } from 'ioredis';
import type { SettledAttempt } from '../metrics/flash-metrics';
import { resultEventOf } from './result-event';
import { judgeStoredResult, type JudgementConfig } from './result-judgement';
import { DEFAULT_RETRY_DELAYS, waitBeforeRetry, type RetryDelays } from './retry-delay';
import { retryReasonOf } from './retry-policy';
import type { StreamEntry } from './station-streams';

export interface ResultRecorderOptions {
  prisma: PrismaClient;
  /** Non-blocking connection for the confirmation hash. */
  redis: Redis;
  prefix: string;
  logger: Logger;
  /** Signs the confirmation with the station's key: a forged one must not make it drop a result. */
  sign: (stationId: string, confirmation: ResultConfirmation) => SignedMessage;
  emit: (event: FlashResultEvent) => void;
  /** First retry delay while Postgres is away (doubling, capped at maxDelayMs). */
  retry?: RetryDelays;
  /** Retry policy and attribution thresholds (server configuration). */
  judgement: JudgementConfig;
  /** Queues a retry's signed job (enqueueFlashJob); rejects once the attempt is settled unqueued. */
  enqueue: (payload: FlashRunPayload) => Promise<void>;
  /** The station's own folder name for a package (its announcement), by digest. */
  packageIdOf?: (stationId: string, digest: string) => string | undefined;
  /** Told once per attempt this recorder stored, after the commit (metrics: FlashMetrics). */
  stored?: (attempt: SettledAttempt) => void;
}

interface Refused {
  refused: string;
}

interface StoredResult {
  event: FlashResultEvent;
  /** false: an earlier delivery had stored it already. */
  settled: boolean;
  /** The retry this delivery opened, to be queued after the commit. */
  retryJob?: FlashRunPayload;
}

export class FlashResultRecorder {
  constructor(private readonly options: ResultRecorderOptions) {}

  /** One stream entry. Resolves once stored (or refused as invalid); rejects only when aborted. */
  async handle(entry: StreamEntry, signal: AbortSignal): Promise<void> {
    const { logger } = this.options;
    const parsed = StationResultMessage.safeParse(entry.message);
    if (!parsed.success) {
      logger.error({ stream: entry.stream, id: entry.id }, 'malformed result message refused');
      return;
    }
    const message = parsed.data;
    const attemptId = message.result.attemptId;
    if (message.stationId !== entry.stationId) {
      logger.error(
        { stream: entry.stream, claimed: message.stationId },
        'result on another station stream refused',
      );
      await this.confirm(entry.stationId, attemptId, 'it names another station');
      return;
    }
    const outcome = await this.commitWithRetry(message, signal);
    if ('refused' in outcome) {
      await this.confirm(entry.stationId, attemptId, outcome.refused);
      return;
    }
    await this.confirm(entry.stationId, attemptId);
    // A result stored by an earlier delivery was shown then, unless that delivery's server died
    // between its commit and its emit: then this entry is the same one, claimed from it.
    if (outcome.settled || entry.claimed) this.options.emit(outcome.event);
    // A retry opened by an earlier delivery whose server died before queuing it is settled by
    // the reconciler (JOB_LOST), never queued twice.
    if (outcome.retryJob) await this.queueRetry(outcome.retryJob, message.slot);
  }

  /** Queues the retry; one Redis would not take is settled (QUEUE_UNAVAILABLE) and shown so. */
  private async queueRetry(payload: FlashRunPayload, slot: number): Promise<void> {
    const { logger, prisma } = this.options;
    try {
      await this.options.enqueue(payload);
      logger.info(
        { attemptId: payload.attemptId, retryOf: payload.retryOf, baud: payload.baud },
        'retry queued',
      );
    } catch (err) {
      logger.error({ err, attemptId: payload.attemptId }, 'retry could not be queued');
      // The result is stored and confirmed: a screen that misses this event reads the record.
      const attempt = await attemptRepository.findById(prisma, payload.attemptId).catch(() => null);
      if (attempt?.endedAt)
        this.options.emit(
          resultEventOf(attempt, { stationId: payload.stationId, slot, imei: payload.imei }),
        );
    }
  }

  /** Tells the station it may forget the result: stored, or refused with a reason. */
  private async confirm(stationId: string, attemptId: string, refused?: string): Promise<void> {
    const answer: ResultConfirmation = {
      v: 1,
      attemptId,
      stored: refused === undefined,
      at: new Date().toISOString(),
      ...(refused !== undefined ? { reason: refused } : {}),
    };
    await this.options.redis.hset(
      stationConfirmedKey(this.options.prefix, stationId),
      attemptId,
      JSON.stringify(this.options.sign(stationId, answer)),
    );
  }

  private async commitWithRetry(
    message: StationResultMessage,
    signal: AbortSignal,
  ): Promise<StoredResult | Refused> {
    const attemptId = message.result.attemptId;
    for (let tryNumber = 1; ; tryNumber += 1) {
      signal.throwIfAborted();
      try {
        return await this.commit(message);
      } catch (err) {
        if (err instanceof NotFoundError) {
          this.options.logger.error({ attemptId }, 'result for an unknown attempt refused');
          return { refused: 'no such attempt in the record' };
        }
        if (tryNumber === 1 || tryNumber % 10 === 0)
          this.options.logger.warn(
            { err, attemptId, tryNumber },
            'storing result failed: retrying',
          );
        await waitBeforeRetry(tryNumber, this.options.retry ?? DEFAULT_RETRY_DELAYS, signal);
      }
    }
  }

  /** The stored attempt as an event, or why it was refused (not this station's attempt). */
  private async commit(message: StationResultMessage): Promise<StoredResult | Refused> {
    const { prisma, logger } = this.options;
    const r = message.result;
    const [open, station] = await Promise.all([
      attemptRepository.findById(prisma, r.attemptId),
      stationRepository.findByCode(prisma, message.stationId),
    ]);
    if (!open) throw new NotFoundError('Attempt', r.attemptId);
    const slotRow = station?.slots.find((s) => s.index === message.slot - 1);
    // A station may settle only the attempts issued to it, in the slot they were issued for.
    if (!station || open.stationId !== station.id || open.slotId !== slotRow?.id) {
      logger.error(
        { attemptId: r.attemptId, from: message.stationId, slot: message.slot },
        'result from a station or slot the attempt was not issued to: refused',
      );
      return { refused: 'the attempt was issued to another station or slot' };
    }
    const stored = await runTransaction(prisma, async (tx) => {
      const result = await attemptRepository.settle(tx, r.attemptId, {
        outcome: r.outcome,
        stageReached: r.stage,
        errorCode: r.errorCode,
        errorName: r.errorName,
        errorMessage: r.message ?? null,
        operatorHint: r.operatorHint ?? null,
        engineerHint: r.engineerHint ?? null,
        stageTimings: r.stageTimings,
        baud: r.baud,
        bytesWritten: r.bytesWritten,
        revisionBefore: r.revisionBefore,
        revisionAfter: r.revisionAfter,
        reportedImei: r.imeiRead,
        // Already checked against the contract with the message; a trace that failed it is absent.
        protocolTrace: r.trace ?? null,
      });
      // Judged once, by the delivery that stored it: a replay opens no second retry.
      const judged = result.settled
        ? await judgeStoredResult(tx, result, this.options.judgement)
        : undefined;
      return { ...result, judged };
    });
    const { attempt, module, settled, judged } = stored;
    // Counted by the delivery that stored it: a replay of a stored result counts nothing.
    if (settled)
      this.options.stored?.({
        stationId: message.stationId,
        outcome: attempt.outcome,
        errorName: attempt.errorName,
        stageTimings: attempt.stageTimings,
      });
    logger.info(
      {
        attemptId: r.attemptId,
        outcome: attempt.outcome,
        settled,
        errorName: attempt.errorName,
        retry: judged?.retry?.attempt.id,
        noRetry: judged?.noRetry,
        decisions: judged?.decisions.map((d) => d.kind),
      },
      settled ? 'flash result stored' : 'flash result was already stored',
    );
    const retryAttempt = judged ? (judged.retry?.attempt ?? null) : await this.storedRetry(attempt);
    const retry: RetryPlan | null = retryAttempt && {
      attemptId: retryAttempt.id,
      baud: retryAttempt.baud as FlashBaud,
      reason: judged?.retry?.reason ?? retryReasonOf(attempt.baud, retryAttempt.baud),
    };
    const where = { stationId: message.stationId, slot: message.slot, imei: module.imei };
    const event = resultEventOf(attempt, where, {
      retry,
      decisions: judged?.decisions.map(({ kind, subject, reason, evidence }) => ({
        kind,
        subject,
        reason,
        evidence,
      })),
    });
    const retryJob = judged?.retry && (await this.retryPayload(judged.retry.attempt, where));
    return { event, settled, ...(retryJob ? { retryJob } : {}) };
  }

  /** The retry an earlier delivery of this result opened, if any. */
  private storedRetry(attempt: FlashAttempt): Promise<FlashAttempt | null> {
    if (attempt.outcome !== 'failed') return Promise.resolve(null);
    return attemptRepository.retryOf(this.options.prisma, attempt.id);
  }

  /** The signed job of a retry: the failed attempt's package, the retry's baud. */
  private async retryPayload(
    retry: FlashAttempt,
    where: { stationId: string; slot: number; imei: string },
  ): Promise<FlashRunPayload> {
    const pkg = await this.options.prisma.firmwarePackage.findUniqueOrThrow({
      where: { id: retry.packageId },
    });
    return FlashRunPayload.parse({
      v: 1,
      attemptId: retry.id,
      stationId: where.stationId,
      slot: where.slot,
      imei: where.imei,
      packageId: this.options.packageIdOf?.(where.stationId, pkg.digest) ?? pkg.name,
      packageSha256: pkg.digest,
      registryPackageId: pkg.storedAt ? pkg.id : null,
      baud: retry.baud,
      retryOf: retry.retryOfId,
    });
  }
}
