// Transactions a repository starts itself, with explicit deadlines and bounded retries, so a burst
// of scans on a small connection pool ends in a typed error, never a raw Prisma one.
import { urlOfClient } from '../client';
import { DatabaseUnavailableError } from '../errors';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { toUnavailableError } from '../unavailable';
import { postgresCodeOf } from './constraint-errors';
import type { PrismaClientOrTransaction } from './types';

/**
 * Prisma's defaults (2 s to get a connection, 5 s to run) are too short when 50 scans queue for a
 * 10-connection pool on a loaded machine; a transaction that still misses these is retried.
 */
export const TRANSACTION_DEADLINES = { maxWait: 10_000, timeout: 10_000 } as const;

/** Tries in all for a transaction that hit a deadlock, a serialization failure or a deadline. */
const TRIES = 4;

/**
 * Runs `work` in its own interactive transaction, retried from the start when Postgres or Prisma
 * says it may simply be run again. Given a caller's transaction, it runs once in a nested one (a
 * savepoint): an error in `work` undoes only what `work` did. Connection failures become
 * DatabaseUnavailableError; errors thrown by `work` pass through.
 */
export async function runTransaction<T>(
  db: PrismaClientOrTransaction,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  // A transaction client lacks $disconnect (Prisma's ITXClientDenyList) but, since Prisma 7,
  // has a $transaction that opens a savepoint.
  if (!('$disconnect' in db)) return (db as unknown as PrismaClient).$transaction(work);
  // A fresh options object each time: Prisma writes into the one it is given.
  return retried(db, () => db.$transaction(work, { ...TRANSACTION_DEADLINES }));
}

/**
 * Runs one statement that is a transaction of its own (a function call such as
 * `flash_open_for_scan`), retried as runTransaction retries one: one round trip where an
 * interactive transaction takes BEGIN, each statement and COMMIT. Given a caller's transaction,
 * it runs once in a savepoint, so a refusal undoes only the statement.
 */
export async function runStatement<T>(
  db: PrismaClientOrTransaction,
  statement: (db: PrismaClientOrTransaction) => Promise<T>,
): Promise<T> {
  if (!('$disconnect' in db)) return runTransaction(db, statement);
  return retried(db, () => statement(db));
}

async function retried<T>(db: PrismaClient, run: () => Promise<T>): Promise<T> {
  for (let tryNumber = 1; ; tryNumber += 1) {
    try {
      return await run();
    } catch (error) {
      const unavailable = toUnavailableError(error, urlOfClient(db) ?? 'postgresql://(unknown)');
      if (unavailable) throw unavailable;
      const reason = transientReason(error);
      if (reason === undefined) throw error;
      if (tryNumber >= TRIES) {
        throw new DatabaseUnavailableError(
          `Postgres could not complete the transaction in ${TRIES} tries (last: ${reason}): it is overloaded or a lock is held too long.`,
          { cause: error },
        );
      }
      // Jitter keeps the losers of one race from colliding again on the next try.
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * tryNumber));
    }
  }
}

/** Why the transaction may be run again, or undefined when it may not. */
function transientReason(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? (message.trim().split('\n').at(-1) ?? '') : '';
  // P2034: serialization failure or deadlock (40001, 40P01).
  if (code === 'P2034') return text || 'write conflict or deadlock';
  // A raw statement's failure (P2010) carries Postgres's own code.
  const pgCode = postgresCodeOf(error);
  if (pgCode === '40001' || pgCode === '40P01') return text || `Postgres ${pgCode}`;
  // P2028 covers every transaction-manager error; only these two mean "ran out of time": the
  // transaction could not start within maxWait, or ran past its timeout and was rolled back.
  if (code === 'P2028' && /Unable to start a transaction|expired transaction/.test(text))
    return text;
  return undefined;
}
