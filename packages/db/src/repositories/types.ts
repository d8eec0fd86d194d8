import type { Prisma, PrismaClient } from '../generated/prisma/client';

/** Repositories take either the client or an interactive transaction (style guide rule 10). */
export type PrismaClientOrTransaction = PrismaClient | Prisma.TransactionClient;
