// Open attempts after a crash: which are open, and settling those whose station lost them as
// interrupted, at the stage they had reached.
import type { FlashAttempt, FlashStage } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';
import { isUuid } from './uuid';

export interface InterruptOpenInput {
  attemptIds: readonly string[];
  /** e.g. `FS_STATION_RESTARTED`; at most 100 characters. */
  errorName: string | null;
  message: string;
  operatorHint?: string | null;
  engineerHint?: string | null;
}

export interface OpenAttemptSummary {
  id: string;
  jobId: string | null;
  /** The station's code (what its agent calls itself). */
  stationCode: string;
  /** stations.id (uuid). */
  stationId: string;
  /** 0-based. */
  slotIndex: number;
  imei: string;
  stageReached: FlashStage;
  startedAt: Date;
}

/**
 * Settles the listed attempts that are still open as interrupted, ended now (never before their
 * start), keeping the stage they reached. Finished or unknown ids are skipped. Module records do
 * not change (an interrupted attempt says nothing about the module). Returns what it settled.
 */
export async function interruptOpen(
  db: PrismaClientOrTransaction,
  input: InterruptOpenInput,
): Promise<FlashAttempt[]> {
  const ids = input.attemptIds.filter(isUuid);
  if (ids.length === 0) return [];
  // Raw SQL for the database clock: ended_at = now() on the same clock as started_at.
  const settled = await db.$queryRaw<{ id: string }[]>`
    UPDATE "flash_attempts"
    SET "outcome" = 'interrupted',
        "ended_at" = GREATEST(now(), "started_at"),
        "error_name" = ${input.errorName},
        "error_message" = ${input.message},
        "operator_hint" = ${input.operatorHint ?? null},
        "engineer_hint" = ${input.engineerHint ?? null}
    WHERE "id" = ANY(${ids}::uuid[]) AND "ended_at" IS NULL
    RETURNING "id"`;
  if (settled.length === 0) return [];
  return db.flashAttempt.findMany({
    where: { id: { in: settled.map((row) => row.id) } },
    orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
  });
}

/** Every open attempt (optionally of one station), oldest first. */
export async function listOpen(
  db: PrismaClientOrTransaction,
  filter: { stationCode?: string } = {},
): Promise<OpenAttemptSummary[]> {
  const rows = await db.flashAttempt.findMany({
    where: {
      endedAt: null,
      ...(filter.stationCode !== undefined ? { station: { code: filter.stationCode } } : {}),
    },
    orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      jobId: true,
      stationId: true,
      stageReached: true,
      startedAt: true,
      station: { select: { code: true } },
      slot: { select: { index: true } },
      module: { select: { imei: true } },
    },
  });
  return rows.map(({ station, slot, module, ...attempt }) => ({
    ...attempt,
    stationCode: station.code,
    slotIndex: slot.index,
    imei: module.imei,
  }));
}
