// One line state for every screen: each slot's open attempt and its last finished one, read from
// the record in ONE query, so a reload or a second screen shows what the first shows.
import { Prisma } from '../generated/prisma/client';
import type { AttemptOutcome, FlashStage, SlotStatus } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

export interface SlotOpenAttempt {
  id: string;
  imei: string;
  stageReached: FlashStage;
  startedAt: Date;
}

/** What a `flash:result` event of the attempt needs. */
export interface SlotLastAttempt {
  id: string;
  /** The module's (label's) IMEI. */
  imei: string;
  outcome: Exclude<AttemptOutcome, 'running'>;
  errorCode: number | null;
  errorName: string | null;
  stageReached: FlashStage;
  operatorHint: string | null;
  revisionBefore: string | null;
  revisionAfter: string | null;
  reportedImei: string | null;
  startedAt: Date;
  endedAt: Date;
  baud: number | null;
  /** The attempt this one retried. */
  retryOfId: string | null;
  /** The attempt that retries this one, with its baud, if the policy retried it. */
  retry: { id: string; baud: number | null } | null;
}

export interface SlotLineState {
  /** Position in the jig, 0-based. */
  index: number;
  /** Stored status (active, suspect, disabled) and why; `offline` is live, not stored. */
  status: SlotStatus;
  statusReason: string | null;
  current: SlotOpenAttempt | null;
  last: SlotLastAttempt | null;
}

interface Row {
  index: number | null;
  status: SlotStatus | null;
  status_reason: string | null;
  open_id: string | null;
  open_imei: string | null;
  open_stage: FlashStage | null;
  open_started_at: Date | null;
  last_id: string | null;
  last_imei: string | null;
  last_outcome: SlotLastAttempt['outcome'] | null;
  last_error_code: number | null;
  last_error_name: string | null;
  last_stage: FlashStage | null;
  last_operator_hint: string | null;
  last_revision_before: string | null;
  last_revision_after: string | null;
  last_reported_imei: string | null;
  last_started_at: Date | null;
  last_ended_at: Date | null;
  last_baud: number | null;
  last_retry_of_id: string | null;
  retry_id: string | null;
  retry_baud: number | null;
}

export const lineRepository = {
  /**
   * Every slot of the station, by index: its open attempt and its most recent finished attempt.
   * Null when no station has this code. One query (stationLineQuery) whose cost grows with the
   * number of slots, not of attempts.
   */
  async stationLine(
    db: PrismaClientOrTransaction,
    stationCode: string,
  ): Promise<SlotLineState[] | null> {
    const rows = await db.$queryRaw<Row[]>(stationLineQuery(stationCode));
    if (rows.length === 0) return null;
    return rows.filter((row) => row.index !== null).map(toSlotLine);
  },
};

/**
 * The one query. The last finished attempt is read backward along (slot_id, started_at), at most a
 * row or two per slot. Its slot condition is written as a range, not `=`: with `=` the planner
 * treats the slot as fixed, may prefer the (started_at) index and then walks the whole table
 * for a slot that never had an attempt. The range keeps (slot_id, started_at) the only index
 * that yields the ORDER BY.
 */
export function stationLineQuery(stationCode: string): Prisma.Sql {
  return Prisma.sql`
    SELECT s."index", s."status"::text AS status, s."status_reason",
           o."id" AS open_id, om."imei" AS open_imei, o."stage_reached"::text AS open_stage,
           o."started_at" AS open_started_at,
           l."id" AS last_id, lm."imei" AS last_imei, l."outcome"::text AS last_outcome,
           l."error_code" AS last_error_code, l."error_name" AS last_error_name,
           l."stage_reached"::text AS last_stage, l."operator_hint" AS last_operator_hint,
           l."revision_before" AS last_revision_before, l."revision_after" AS last_revision_after,
           l."reported_imei" AS last_reported_imei, l."started_at" AS last_started_at,
           l."ended_at" AS last_ended_at, l."baud" AS last_baud,
           l."retry_of_id" AS last_retry_of_id, r."id" AS retry_id, r."baud" AS retry_baud
    FROM "stations" st
    LEFT JOIN "slots" s ON s."station_id" = st."id"
    LEFT JOIN LATERAL (
      SELECT a."id", a."module_id", a."stage_reached", a."started_at"
      FROM "flash_attempts" a
      WHERE a."slot_id" = s."id" AND a."ended_at" IS NULL
    ) o ON true
    LEFT JOIN "modules" om ON om."id" = o."module_id"
    LEFT JOIN LATERAL (
      SELECT a."id", a."module_id", a."outcome", a."error_code", a."error_name",
             a."stage_reached", a."operator_hint", a."revision_before", a."revision_after",
             a."reported_imei", a."started_at", a."ended_at", a."baud", a."retry_of_id"
      FROM "flash_attempts" a
      WHERE a."slot_id" >= s."id" AND a."slot_id" <= s."id" AND a."ended_at" IS NOT NULL
      ORDER BY a."slot_id" DESC, a."started_at" DESC
      LIMIT 1
    ) l ON true
    LEFT JOIN "modules" lm ON lm."id" = l."module_id"
    LEFT JOIN "flash_attempts" r ON r."retry_of_id" = l."id"
    WHERE st."code" = ${stationCode}
    ORDER BY s."index"`;
}

function toSlotLine(row: Row): SlotLineState {
  return {
    index: row.index!,
    status: row.status!,
    statusReason: row.status_reason,
    current:
      row.open_id === null
        ? null
        : {
            id: row.open_id,
            imei: row.open_imei!,
            stageReached: row.open_stage!,
            startedAt: row.open_started_at!,
          },
    last:
      row.last_id === null
        ? null
        : {
            id: row.last_id,
            imei: row.last_imei!,
            outcome: row.last_outcome!,
            errorCode: row.last_error_code,
            errorName: row.last_error_name,
            stageReached: row.last_stage!,
            operatorHint: row.last_operator_hint,
            revisionBefore: row.last_revision_before,
            revisionAfter: row.last_revision_after,
            reportedImei: row.last_reported_imei,
            startedAt: row.last_started_at!,
            endedAt: row.last_ended_at!,
            baud: row.last_baud,
            retryOfId: row.last_retry_of_id,
            retry: row.retry_id === null ? null : { id: row.retry_id, baud: row.retry_baud },
          },
  };
}
