import type { PrismaClient } from './generated/prisma/client';
import { urlOfClient } from './client';
import { DatabaseUnavailableError } from './errors';
import { toUnavailableError } from './unavailable';

/** SELECT 1 through the client; a connection failure becomes DatabaseUnavailableError. */
export async function pingDatabase(prisma: PrismaClient): Promise<void> {
  try {
    await prisma.$queryRaw`SELECT 1`;
  } catch (error) {
    const url = urlOfClient(prisma) ?? 'postgresql://(unknown)';
    throw (
      toUnavailableError(error, url) ??
      new DatabaseUnavailableError(
        `Postgres did not answer SELECT 1: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      )
    );
  }
}
