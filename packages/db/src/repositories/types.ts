import type { Prisma, PrismaClient } from '../generated/prisma/client';

/** Repositories take either the client or an interactive transaction (style guide rule 10). */
export type PrismaClientOrTransaction = PrismaClient | Prisma.TransactionClient;

/** Runs `work` in a transaction, or inside the caller's transaction when given one. */
export async function inTransaction<T>(
  db: PrismaClientOrTransaction,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  if ('$transaction' in db) return db.$transaction(work);
  return work(db);
}
