// runStatement against the real Postgres: a one-statement transaction (the scan's
// flash_open_for_scan call) is retried when Postgres says it may simply be run again, and only
// then. The failures are real Postgres errors raised with the SQLSTATE in question.
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../src/index';
import { postgresCodeOf } from '../src/repositories/constraint-errors';
import { runStatement } from '../src/repositories/transaction';
import type { PrismaClientOrTransaction } from '../src/repositories/types';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

/** A statement that fails with `sqlState` on its first `failures` runs, then answers 1. */
function failing(sqlState: string, failures: number) {
  let runs = 0;
  const statement = async (client: PrismaClientOrTransaction) => {
    runs += 1;
    if (runs <= failures)
      await client.$executeRawUnsafe(
        `DO $$ BEGIN RAISE EXCEPTION 'made to fail' USING ERRCODE = '${sqlState}'; END $$`,
      );
    const [row] = await client.$queryRaw<{ one: number }[]>`SELECT 1 AS one`;
    return row!.one;
  };
  return { statement, runs: () => runs };
}

describe('runStatement', () => {
  it("reads a raw statement's SQLSTATE from Prisma's error", async () => {
    const error = await db.prisma.$queryRaw`SELECT 1 / 0`.catch((e: unknown) => e);
    expect(postgresCodeOf(error)).toBe('22012');
  });

  it('runs a statement again after a deadlock or a serialization failure', async () => {
    for (const sqlState of ['40P01', '40001']) {
      const { statement, runs } = failing(sqlState, 2);
      await expect(runStatement(db.prisma, statement)).resolves.toBe(1);
      expect(runs(), sqlState).toBe(3);
    }
  });

  it('gives up after four tries with DatabaseUnavailableError', async () => {
    const { statement, runs } = failing('40P01', 10);
    const error = await runStatement(db.prisma, statement).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(runs()).toBe(4);
  });

  it('does not run again a statement that failed for any other reason', async () => {
    const { statement, runs } = failing('23505', 10);
    const error = await runStatement(db.prisma, statement).catch((e: unknown) => e);
    expect(postgresCodeOf(error)).toBe('23505');
    expect(runs()).toBe(1);
  });
});
