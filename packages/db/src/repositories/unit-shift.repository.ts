// The per-unit per-shift roll-up's definition (docs/analytics.md "Roll-up"): the rows themselves
// are written by triggers on flash_attempts (migration unit_shift_rollup); here the server checks
// at start that they were built with its shifts and zone, and rebuilds them when not.
import type { ShiftSpec } from './analytics.repository';
import type { PrismaClientOrTransaction } from './types';

export interface ShiftDefinition {
  /** IANA zone of the line's clock. */
  timeZone: string;
  shifts: readonly ShiftSpec[];
}

export interface EnsureDefinitionResult {
  /** false: the stored definition was the same, nothing was done. */
  rebuilt: boolean;
  /** Rows written by the rebuild (units × shifts); 0 when not rebuilt. */
  rows: number;
}

/** The definition as the database stores it (`[{label, s, e}]`, JSONB: compared structurally). */
const shiftsJson = (shifts: readonly ShiftSpec[]) =>
  JSON.stringify(shifts.map((s) => ({ label: s.label, s: s.startMinute, e: s.endMinute })));

/**
 * Rebuilds the roll-up (one INSERT … SELECT over every finished attempt, in one statement, so no
 * reader sees it half-built) when it was built with other shifts or another zone. At 10 M
 * attempts a rebuild takes minutes (docs/benchmarks.md); an unchanged definition costs one read.
 */
async function ensureDefinition(
  db: PrismaClientOrTransaction,
  definition: ShiftDefinition,
): Promise<EnsureDefinitionResult> {
  const shifts = shiftsJson(definition.shifts);
  const [same] = await db.$queryRaw<{ same: boolean }[]>`
    SELECT "time_zone" = ${definition.timeZone} AND "shifts" = ${shifts}::jsonb AS same
    FROM "unit_shift_definition" WHERE "id" = 1`;
  if (same?.same) return { rebuilt: false, rows: 0 };
  const [built] = await db.$queryRaw<{ rows: bigint }[]>`
    SELECT "unit_shifts_rebuild"(${definition.timeZone}, ${shifts}::jsonb) AS rows`;
  return { rebuilt: true, rows: Number(built?.rows ?? 0) };
}

export const unitShiftRepository = { ensureDefinition };
