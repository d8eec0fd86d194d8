// A missing or unreachable Postgres gives ONE clear sentence as a typed error, not a stack trace.
// Real connections to a closed port (127.0.0.1:1); nothing is mocked.
import { describe, expect, it } from 'vitest';
import {
  createPrismaClient,
  DatabaseUnavailableError,
  ensureDatabase,
  InvalidDatabaseUrlError,
  pingDatabase,
} from '../src/index';

const CLOSED = 'postgresql://postgres@127.0.0.1:1/flashstation';
const SENTENCE =
  'Postgres is not reachable at 127.0.0.1:1 (DATABASE_URL=postgresql://postgres@127.0.0.1:1/flashstation): ' +
  'start your local PostgreSQL service or set DATABASE_URL to where it runs.';

describe('unreachable Postgres', () => {
  it('ensureDatabase throws DatabaseUnavailableError with the one-sentence message', async () => {
    const error = await ensureDatabase(CLOSED).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: SENTENCE });
  });

  it('pingDatabase throws the same sentence for a client on the closed port', async () => {
    const prisma = createPrismaClient(CLOSED);
    try {
      const error = await pingDatabase(prisma).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toBe(SENTENCE);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('never prints the password', async () => {
    const error = await ensureDatabase(
      'postgresql://postgres:hunter2@127.0.0.1:1/flashstation',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).not.toContain('hunter2');
    expect((error as Error).message).toContain('postgres:***@127.0.0.1:1');
  });

  it('rejects a URL that is not postgresql:// or names no database', async () => {
    await expect(ensureDatabase('mysql://x@127.0.0.1/db')).rejects.toBeInstanceOf(
      InvalidDatabaseUrlError,
    );
    await expect(ensureDatabase('postgresql://postgres@127.0.0.1:5432')).rejects.toThrow(
      /names no database/,
    );
    await expect(ensureDatabase('not a url')).rejects.toThrow(/is not a URL/);
  });

  it('a database that exists nowhere is reported as such by pingDatabase', async () => {
    const prisma = createPrismaClient(
      'postgresql://postgres@127.0.0.1:5432/flashstation_test_never_created',
    );
    try {
      const error = await pingDatabase(prisma).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toMatch(
        /^The database named in DATABASE_URL does not exist at 127\.0\.0\.1:5432/,
      );
    } finally {
      await prisma.$disconnect();
    }
  });
});
