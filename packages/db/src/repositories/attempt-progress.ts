// Progress of a running attempt: the stage it has reached, stored as the flash runs (throttled by
// the caller), so an attempt settled after a crash says where it stopped.
import type { FlashStage } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';
import { isUuid } from './uuid';

/**
 * Records the stage an open attempt has reached. Stages only move forward (Postgres compares
 * enum values in FLASH_STAGES order), so late or reordered progress cannot move one back. Never
 * throws for a finished or unknown attempt: progress may arrive after the result. Returns true
 * when the stage was stored.
 */
export async function markStage(
  db: PrismaClientOrTransaction,
  attemptId: string,
  stage: FlashStage,
): Promise<boolean> {
  if (!isUuid(attemptId)) return false;
  const count = await db.$executeRaw`
    UPDATE "flash_attempts" SET "stage_reached" = ${stage}::"flash_stage"
    WHERE "id" = ${attemptId}::uuid AND "ended_at" IS NULL
      AND "stage_reached" < ${stage}::"flash_stage"`;
  return count > 0;
}
