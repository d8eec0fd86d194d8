// The one place that builds a PrismaClient: Prisma 7 with @prisma/adapter-pg (no query engine).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { parseDatabaseUrl } from './connection-url';

/** Remembers each client's URL so that errors can say where Postgres was looked for. */
const urls = new WeakMap<object, string>();

export interface CreatePrismaClientOptions {
  /** Connections in the pool (node-postgres default 10). */
  maxConnections?: number;
}

export function createPrismaClient(
  url: string,
  options: CreatePrismaClientOptions = {},
): PrismaClient {
  const fields = parseDatabaseUrl(url);
  const adapter = new PrismaPg({
    ...fields,
    ...(options.maxConnections ? { max: options.maxConnections } : {}),
  });
  const prisma = new PrismaClient({ adapter });
  urls.set(prisma, url);
  return prisma;
}

/** The URL a client was made from, when it was made by createPrismaClient. */
export function urlOfClient(prisma: object): string | undefined {
  return urls.get(prisma);
}
