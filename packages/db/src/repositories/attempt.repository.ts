// Flash attempts. Every attempt is kept; a slot has at most one OPEN attempt (running, ended_at
// IS NULL), which the partial unique index flash_attempts_one_open_per_slot enforces.
import { Prisma } from '../generated/prisma/client';
import type { AttemptOutcome, FlashAttempt, FlashStage } from '../generated/prisma/client';
import { NotFoundError, SlotBusyError } from '../errors';
import { isUniqueViolation } from './constraint-errors';
import type { PrismaClientOrTransaction } from './types';

export interface OpenAttemptInput {
  moduleId: string;
  stationId: string;
  slotId: string;
  packageId: string;
  adapterId?: string | null;
  operatorId?: string | null;
  jobId?: string | null;
  retryOfId?: string | null;
  baud?: number | null;
  revisionBefore?: string | null;
  startedAt?: Date;
}

export type FinishedOutcome = Exclude<AttemptOutcome, 'running'>;

export interface FinishAttemptInput {
  outcome: FinishedOutcome;
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
  reportedImei?: string | null;
  protocolTrace?: Prisma.InputJsonValue | null;
}

export class AttemptNotOpenError extends Error {
  readonly code = 'ATTEMPT_NOT_OPEN';
  constructor(readonly attemptId: string) {
    super(`Attempt ${attemptId} is already finished; a finished attempt cannot change.`);
    this.name = 'AttemptNotOpenError';
  }
}

const ONE_OPEN_PER_SLOT = 'flash_attempts_one_open_per_slot';

export const attemptRepository = {
  /** Opens a running attempt; throws SlotBusyError when the slot already has one. */
  async open(db: PrismaClientOrTransaction, input: OpenAttemptInput): Promise<FlashAttempt> {
    try {
      return await db.flashAttempt.create({ data: { ...input, outcome: 'running' } });
    } catch (error) {
      if (isUniqueViolation(error, ONE_OPEN_PER_SLOT)) throw new SlotBusyError(input.slotId);
      throw error;
    }
  },

  /** Records the stage a running attempt has reached (progress is not stored, stages are). */
  async markStage(db: PrismaClientOrTransaction, id: string, stage: FlashStage): Promise<void> {
    const { count } = await db.flashAttempt.updateMany({
      where: { id, endedAt: null },
      data: { stageReached: stage },
    });
    if (count === 0) await throwWhyNotOpen(db, id);
  },

  /** Closes a running attempt with its outcome; a finished attempt is never rewritten. */
  async finish(
    db: PrismaClientOrTransaction,
    id: string,
    result: FinishAttemptInput,
  ): Promise<FlashAttempt> {
    const { protocolTrace, stageTimings, bytesWritten, endedAt, ...rest } = result;
    const data: Prisma.FlashAttemptUpdateManyMutationInput = {
      ...rest,
      endedAt: endedAt ?? new Date(),
      ...(bytesWritten !== undefined
        ? { bytesWritten: bytesWritten === null ? null : BigInt(bytesWritten) }
        : {}),
      ...(stageTimings !== undefined ? { stageTimings: stageTimings ?? dbNull() } : {}),
      ...(protocolTrace !== undefined ? { protocolTrace: protocolTrace ?? dbNull() } : {}),
    };
    const { count } = await db.flashAttempt.updateMany({ where: { id, endedAt: null }, data });
    if (count === 0) await throwWhyNotOpen(db, id);
    return db.flashAttempt.findUniqueOrThrow({ where: { id } });
  },

  /** The slot's running attempt, if any. */
  async openForSlot(db: PrismaClientOrTransaction, slotId: string): Promise<FlashAttempt | null> {
    return db.flashAttempt.findFirst({ where: { slotId, endedAt: null } });
  },

  /**
   * Closes every running attempt of a station as `interrupted` (station restarted or crashed,
   * design §5), so its slots can take new work. Returns the attempts it closed.
   */
  async interruptOpenForStation(
    db: PrismaClientOrTransaction,
    stationId: string,
    reason: string,
  ): Promise<FlashAttempt[]> {
    const open = await db.flashAttempt.findMany({ where: { stationId, endedAt: null } });
    if (open.length === 0) return [];
    await db.flashAttempt.updateMany({
      where: { id: { in: open.map((attempt) => attempt.id) }, endedAt: null },
      data: { outcome: 'interrupted', endedAt: new Date(), errorMessage: reason },
    });
    return db.flashAttempt.findMany({ where: { id: { in: open.map((attempt) => attempt.id) } } });
  },

  async findById(db: PrismaClientOrTransaction, id: string): Promise<FlashAttempt | null> {
    return db.flashAttempt.findUnique({ where: { id } });
  },
};

async function throwWhyNotOpen(db: PrismaClientOrTransaction, id: string): Promise<never> {
  const existing = await db.flashAttempt.findUnique({ where: { id }, select: { id: true } });
  if (!existing) throw new NotFoundError('Attempt', id);
  throw new AttemptNotOpenError(id);
}

// Prisma's JSON null sentinel: store SQL NULL rather than the JSON value `null`.
function dbNull(): typeof Prisma.DbNull {
  return Prisma.DbNull;
}
