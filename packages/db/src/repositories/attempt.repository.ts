// Flash attempts. Every attempt is kept. An attempt is open while it is running (ended_at IS
// NULL); a slot and a module each have at most one open attempt (partial unique indexes
// flash_attempts_one_open_per_slot and flash_attempts_one_open_per_module). An attempt is opened
// by openForScan and finished once by settle (or interruptOpen after a crash); each lives in its
// own file.
import type { FlashAttempt } from '../generated/prisma/client';
import { openForScan } from './attempt-open';
import { markStage } from './attempt-progress';
import { interruptOpen, listOpen } from './attempt-recovery';
import { settle } from './attempt-settle';
import type { PrismaClientOrTransaction } from './types';

export const attemptRepository = {
  openForScan,
  settle,
  markStage,
  interruptOpen,
  listOpen,

  /** Where the module's open attempt runs (station code and 1-based slot), if it has one. */
  async openSlotOf(
    db: PrismaClientOrTransaction,
    imei: string,
  ): Promise<{ stationCode: string; slot: number } | null> {
    const open = await db.flashAttempt.findFirst({
      where: { endedAt: null, module: { imei } },
      select: { station: { select: { code: true } }, slot: { select: { index: true } } },
    });
    return open && { stationCode: open.station.code, slot: open.slot.index + 1 };
  },

  async findById(db: PrismaClientOrTransaction, id: string): Promise<FlashAttempt | null> {
    return db.flashAttempt.findUnique({ where: { id } });
  },
};
