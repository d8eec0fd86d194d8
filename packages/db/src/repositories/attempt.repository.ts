// Flash attempts. Every attempt is kept. An attempt is open while it is running (ended_at IS
// NULL); a slot and a module each have at most one open attempt (partial unique indexes
// flash_attempts_one_open_per_slot and flash_attempts_one_open_per_module).
import type { FlashAttempt } from '../generated/prisma/client';
import { ModuleBusyError, NotFoundError, SlotBusyError } from '../errors';
import { openForScan, ONE_OPEN_PER_MODULE, ONE_OPEN_PER_SLOT } from './attempt-open';
import { markStage } from './attempt-progress';
import { interruptOpen, listOpen } from './attempt-recovery';
import { finishData, settle, type FinishAttemptInput } from './attempt-settle';
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

export class AttemptNotOpenError extends Error {
  readonly code = 'ATTEMPT_NOT_OPEN';
  constructor(readonly attemptId: string) {
    super(`Attempt ${attemptId} is already finished; a finished attempt cannot change.`);
    this.name = 'AttemptNotOpenError';
  }
}

export const attemptRepository = {
  openForScan,
  settle,
  markStage,
  interruptOpen,
  listOpen,

  /**
   * Opens a running attempt for a module that already exists; throws SlotBusyError or
   * ModuleBusyError when the slot or the module already has one. Superseded by openForScan.
   */
  async open(db: PrismaClientOrTransaction, input: OpenAttemptInput): Promise<FlashAttempt> {
    try {
      return await db.flashAttempt.create({ data: { ...input, outcome: 'running' } });
    } catch (error) {
      if (isUniqueViolation(error, ONE_OPEN_PER_SLOT)) throw new SlotBusyError(input.slotId);
      if (isUniqueViolation(error, ONE_OPEN_PER_MODULE)) {
        const module = await db.module.findUnique({ where: { id: input.moduleId } });
        throw new ModuleBusyError(module?.imei ?? input.moduleId);
      }
      throw error;
    }
  },

  /**
   * Closes a running attempt without touching its module; AttemptNotOpenError when it is
   * finished. Superseded by settle (idempotent, applies the module rule).
   */
  async finish(
    db: PrismaClientOrTransaction,
    id: string,
    result: FinishAttemptInput,
  ): Promise<FlashAttempt> {
    const existing = await db.flashAttempt.findUnique({ where: { id } });
    if (!existing) throw new NotFoundError('Attempt', id);
    const { count } = await db.flashAttempt.updateMany({
      where: { id, endedAt: null },
      data: finishData(result, existing.startedAt),
    });
    if (count === 0) throw new AttemptNotOpenError(id);
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
    const open = await db.flashAttempt.findMany({
      where: { stationId, endedAt: null },
      select: { id: true },
    });
    return interruptOpen(db, {
      attemptIds: open.map((attempt) => attempt.id),
      errorName: null,
      message: reason,
    });
  },

  async findById(db: PrismaClientOrTransaction, id: string): Promise<FlashAttempt | null> {
    return db.flashAttempt.findUnique({ where: { id } });
  },
};
