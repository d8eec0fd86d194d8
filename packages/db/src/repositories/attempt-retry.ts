// Retry chains (issue #9 §1): a retry is its own attempt, linked to the failed one by retry_of_id,
// in the same slot for the same module and package. A failed attempt has at most one retry
// (flash_attempts_one_retry_per_attempt), so a result stored twice never opens a second.
import type { FlashAttempt } from '../generated/prisma/client';
import { ONE_OPEN_PER_MODULE, ONE_OPEN_PER_SLOT } from './attempt-open';
import { isUniqueViolation } from './constraint-errors';
import { runTransaction } from './transaction';
import type { PrismaClientOrTransaction } from './types';
import { uuidv7 } from './uuid';

export const ONE_RETRY_PER_ATTEMPT = 'flash_attempts_one_retry_per_attempt';

/** The bauds of the attempt's chain, oldest first, ending with the attempt itself. */
async function chainBauds(
  db: PrismaClientOrTransaction,
  attemptId: string,
): Promise<(number | null)[]> {
  const rows = await db.$queryRaw<{ baud: number | null; depth: number }[]>`
    WITH RECURSIVE chain AS (
      SELECT a."id", a."retry_of_id", a."baud", 0 AS depth
      FROM "flash_attempts" a WHERE a."id" = ${attemptId}::uuid
      UNION ALL
      SELECT p."id", p."retry_of_id", p."baud", c.depth + 1
      FROM "flash_attempts" p JOIN chain c ON p."id" = c."retry_of_id"
      WHERE c.depth < 64
    )
    SELECT "baud", depth FROM chain ORDER BY depth DESC`;
  return rows.map((row) => row.baud);
}

/**
 * Opens the retry of a failed attempt at `baud` (same module, slot, station, package, adapter,
 * operator; its job id is its own id). Null when the attempt was retried already, or its slot or
 * module has another open attempt. Run it in the
 * transaction that settles the failed attempt, so no scan can take the slot in between.
 */
async function openRetry(
  db: PrismaClientOrTransaction,
  failedId: string,
  baud: number,
): Promise<FlashAttempt | null> {
  const failed = await db.flashAttempt.findUniqueOrThrow({ where: { id: failedId } });
  if (await db.flashAttempt.findFirst({ where: { retryOfId: failedId }, select: { id: true } }))
    return null;
  const id = uuidv7();
  try {
    // A savepoint: a lost race undoes only this insert, not the caller's transaction.
    return await runTransaction(db, (tx) =>
      tx.flashAttempt.create({
        data: {
          id,
          jobId: id,
          moduleId: failed.moduleId,
          stationId: failed.stationId,
          slotId: failed.slotId,
          packageId: failed.packageId,
          adapterId: failed.adapterId,
          operatorId: failed.operatorId,
          retryOfId: failed.id,
          baud,
          outcome: 'running',
        },
      }),
    );
  } catch (error) {
    // Retried meanwhile by another server, or the slot or module taken by another attempt.
    if (
      isUniqueViolation(error, ONE_RETRY_PER_ATTEMPT) ||
      isUniqueViolation(error, ONE_OPEN_PER_SLOT) ||
      isUniqueViolation(error, ONE_OPEN_PER_MODULE)
    )
      return null;
    throw error;
  }
}

/** The attempt that retried this one, if any. */
async function retryOf(
  db: PrismaClientOrTransaction,
  attemptId: string,
): Promise<FlashAttempt | null> {
  return db.flashAttempt.findFirst({ where: { retryOfId: attemptId } });
}

export const attemptRetry = { chainBauds, openRetry, retryOf };
