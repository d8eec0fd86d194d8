// Yield from the record (design §6, issue #9 "Shows it"): first-pass yield counts a module as
// first-pass only when its first judged attempt passed; a module that passed on a retry is
// finally passed, not first-pass. Interrupted and canceled attempts judge nobody and are skipped.
// The definitions are docs/analytics.md's (final yield: any passing attempt), which the grouped
// figures of analytics.repository.ts compute too.
import { Prisma } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

export interface YieldFilter {
  /** stations.code; all stations when absent. */
  stationCode?: string;
  /** Attempts started at or after this. */
  since?: Date;
}

export interface FirstPassYield {
  /** Modules with at least one passed or failed attempt in the period. */
  modules: number;
  /** Modules whose first such attempt passed. */
  firstPass: number;
  /** Modules with a passing attempt (first time or after retries). */
  finallyPassed: number;
  /** firstPass / modules; null when no module was flashed. */
  firstPassYield: number | null;
  finalYield: number | null;
}

async function firstPass(
  db: PrismaClientOrTransaction,
  filter: YieldFilter = {},
): Promise<FirstPassYield> {
  const station =
    filter.stationCode === undefined
      ? Prisma.empty
      : Prisma.sql`AND st."code" = ${filter.stationCode}`;
  const since =
    filter.since === undefined ? Prisma.empty : Prisma.sql`AND a."started_at" >= ${filter.since}`;
  const [row] = await db.$queryRaw<
    { modules: bigint; first_pass: bigint; finally_passed: bigint }[]
  >`
    WITH judged AS (
      SELECT a."module_id", a."outcome",
             row_number() OVER (PARTITION BY a."module_id" ORDER BY a."started_at", a."id") AS n_first
      FROM "flash_attempts" a JOIN "stations" st ON st."id" = a."station_id"
      WHERE a."outcome" IN ('passed', 'failed') ${station} ${since}
    )
    SELECT count(DISTINCT "module_id") AS modules,
           count(*) FILTER (WHERE n_first = 1 AND "outcome" = 'passed') AS first_pass,
           count(DISTINCT "module_id") FILTER (WHERE "outcome" = 'passed') AS finally_passed
    FROM judged`;
  const modules = Number(row?.modules ?? 0);
  const first = Number(row?.first_pass ?? 0);
  const final = Number(row?.finally_passed ?? 0);
  return {
    modules,
    firstPass: first,
    finallyPassed: final,
    firstPassYield: modules === 0 ? null : first / modules,
    finalYield: modules === 0 ? null : final / modules,
  };
}

export const yieldRepository = { firstPass };
