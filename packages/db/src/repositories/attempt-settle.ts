// Settling an attempt with its result: stored once (idempotent by attempt id), and the module
// rule applied in the same transaction.
import { NotFoundError } from '../errors';
import { Prisma } from '../generated/prisma/client';
import type { AttemptOutcome, FlashAttempt, FlashStage, Module } from '../generated/prisma/client';
import { decideModuleChange } from './module-rule';
import { runTransaction } from './transaction';
import type { PrismaClientOrTransaction } from './types';

export type FinishedOutcome = Exclude<AttemptOutcome, 'running'>;

export interface FinishAttemptInput {
  outcome: FinishedOutcome;
  /** When it ended; defaults to now. Never stored before the attempt's start (clocks differ). */
  endedAt?: Date;
  stageReached?: FlashStage;
  errorCode?: number | null;
  errorName?: string | null;
  errorMessage?: string | null;
  /** `{ "<stage>": milliseconds }` */
  stageTimings?: Record<string, number> | null;
  baud?: number | null;
  bytesWritten?: number | bigint | null;
  revisionBefore?: string | null;
  revisionAfter?: string | null;
  /** IMEI the module in the slot reported; null when it answered no AT. */
  reportedImei?: string | null;
  protocolTrace?: Prisma.InputJsonValue | null;
}

export interface SettleAttemptInput extends FinishAttemptInput {
  /** The error catalogue's hints, kept so a reloaded screen shows the result as first shown. */
  operatorHint?: string | null;
  engineerHint?: string | null;
}

export interface SettleResult {
  attempt: FlashAttempt;
  module: Module;
  /** false: the attempt was already finished and is returned unchanged. */
  settled: boolean;
}

/**
 * Finishes an open attempt with its result and applies the module rule (module-rule.ts) in the
 * same transaction. An attempt already finished is returned unchanged with settled=false, so a
 * result delivered twice is stored once; an unknown id throws NotFoundError.
 */
export async function settle(
  db: PrismaClientOrTransaction,
  attemptId: string,
  input: SettleAttemptInput,
): Promise<SettleResult> {
  return runTransaction(db, async (tx) => {
    const current = await tx.flashAttempt.findUnique({
      where: { id: attemptId },
      include: { module: true },
    });
    if (!current) throw new NotFoundError('Attempt', attemptId);
    const { module, ...before } = current;
    if (before.endedAt !== null) return { attempt: before, module, settled: false };

    const { count } = await tx.flashAttempt.updateMany({
      where: { id: attemptId, endedAt: null },
      data: finishData(input, before.startedAt),
    });
    if (count === 0) {
      // A concurrent settle of the same attempt committed first: its result stands.
      const { module: latest, ...attempt } = await tx.flashAttempt.findUniqueOrThrow({
        where: { id: attemptId },
        include: { module: true },
      });
      return { attempt, module: latest, settled: false };
    }
    const attempt = await tx.flashAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    const change = decideModuleChange(module, attempt);
    if (!change) return { attempt, module, settled: true };
    // The status guard keeps a quarantine committed meanwhile from being overwritten.
    await tx.module.updateMany({
      where: { id: module.id, status: { notIn: ['quarantined', 'scrapped'] } },
      data: change,
    });
    const updated = await tx.module.findUniqueOrThrow({ where: { id: module.id } });
    return { attempt, module: updated, settled: true };
  });
}

/** The columns a finished attempt stores; `endedAt` is never before `startedAt` (CHECK). */
export function finishData(
  input: SettleAttemptInput,
  startedAt: Date,
): Prisma.FlashAttemptUpdateManyMutationInput {
  const { protocolTrace, stageTimings, bytesWritten, endedAt, ...rest } = input;
  const end = endedAt ?? new Date();
  return {
    ...rest,
    endedAt: end < startedAt ? startedAt : end,
    ...(bytesWritten !== undefined
      ? { bytesWritten: bytesWritten === null ? null : BigInt(bytesWritten) }
      : {}),
    ...(stageTimings !== undefined ? { stageTimings: stageTimings ?? Prisma.DbNull } : {}),
    ...(protocolTrace !== undefined ? { protocolTrace: protocolTrace ?? Prisma.DbNull } : {}),
  };
}
