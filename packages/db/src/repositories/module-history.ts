// A module, its attempts and its decisions in one SQL statement (issue #10 §6: < 10 ms through the server). The
// Prisma queries it replaces made eight round trips (the module, its attempts, one query per
// relation: station, slot, adapter, package, operator; then the decisions), each a scheduler
// wait on a busy server.
import { Prisma } from '../generated/prisma/client';
import type {
  AttemptOutcome,
  AttributionDecision,
  FlashStage,
  Module,
  ModuleStatus,
} from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

/** One attempt as the history shows it; the protocol trace is left out (fetched per attempt). */
export interface ModuleHistoryAttempt {
  id: string;
  jobId: string | null;
  retryOfId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  outcome: AttemptOutcome;
  stageReached: FlashStage;
  errorCode: number | null;
  errorName: string | null;
  errorMessage: string | null;
  stageTimings: Prisma.JsonValue | null;
  baud: number | null;
  bytesWritten: bigint | null;
  revisionBefore: string | null;
  revisionAfter: string | null;
  reportedImei: string | null;
  station: { id: string; code: string; name: string };
  slot: { id: string; index: number; label: string };
  adapter: { id: string; identity: string } | null;
  package: { id: string; name: string; revision: string };
  operator: { id: string; displayName: string } | null;
}

export interface ModuleHistory {
  module: Module;
  /** Newest first. */
  attempts: ModuleHistoryAttempt[];
  /** The line's judgements of the module (attribution_decisions), newest first. */
  decisions: AttributionDecision[];
}

/** A decision as json_build_object gives it: instants as ISO text. */
type DecisionJson = Omit<AttributionDecision, 'decidedAt' | 'releasedAt'> & {
  decidedAt: string;
  releasedAt: string | null;
};

/** The module's row on every line, its attempt's columns beside it (null when it has none). */
interface HistoryRow {
  m_id: string;
  m_imei: string;
  m_status: ModuleStatus;
  m_current_revision: string | null;
  m_status_reason: string | null;
  m_created_at: Date;
  m_updated_at: Date;
  decisions: DecisionJson[];
  id: string | null;
  job_id: string | null;
  retry_of_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  outcome: AttemptOutcome;
  stage_reached: FlashStage;
  error_code: number | null;
  error_name: string | null;
  error_message: string | null;
  stage_timings: Prisma.JsonValue | null;
  baud: number | null;
  bytes_written: bigint | null;
  revision_before: string | null;
  revision_after: string | null;
  reported_imei: string | null;
  station_id: string;
  station_code: string;
  station_name: string;
  slot_id: string;
  slot_index: number;
  slot_label: string;
  adapter_id: string | null;
  adapter_identity: string | null;
  package_id: string;
  package_name: string;
  package_revision: string;
  operator_id: string | null;
  operator_name: string | null;
}

/** Every attempt of the module newest first (the (module_id, started_at DESC) index), or null. */
export async function moduleHistory(
  db: PrismaClientOrTransaction,
  imei: string,
  limit?: number,
): Promise<ModuleHistory | null> {
  const rows = await db.$queryRaw<HistoryRow[]>`
    SELECT m."id" AS m_id, m."imei" AS m_imei, m."status" AS m_status,
           m."current_revision" AS m_current_revision, m."status_reason" AS m_status_reason,
           m."created_at" AS m_created_at, m."updated_at" AS m_updated_at, dj.decisions,
           a."id", a."job_id", a."retry_of_id", a."started_at", a."ended_at", a."outcome",
           a."stage_reached", a."error_code", a."error_name", a."error_message",
           a."stage_timings", a."baud", a."bytes_written", a."revision_before",
           a."revision_after", a."reported_imei",
           st."id" AS station_id, st."code" AS station_code, st."name" AS station_name,
           sl."id" AS slot_id, sl."index" AS slot_index, sl."label" AS slot_label,
           ad."id" AS adapter_id, ad."identity" AS adapter_identity,
           fp."id" AS package_id, fp."name" AS package_name, fp."revision" AS package_revision,
           u."id" AS operator_id, u."display_name" AS operator_name
    FROM "modules" m
    CROSS JOIN LATERAL (
      SELECT coalesce(json_agg(json_build_object(
               'id', d."id", 'kind', d."kind", 'moduleId', d."module_id", 'slotId', d."slot_id",
               'reason', d."reason", 'evidence', d."evidence_attempt_ids",
               'decidedAt', d."decided_at", 'releasedAt', d."released_at",
               'releasedById', d."released_by_id", 'releasedBy', d."released_by",
               'releaseReason', d."release_reason") ORDER BY d."decided_at" DESC, d."id" DESC),
             '[]') AS decisions
      FROM "attribution_decisions" d WHERE d."module_id" = m."id"
    ) dj
    LEFT JOIN LATERAL (
      SELECT * FROM "flash_attempts" x WHERE x."module_id" = m."id"
      ORDER BY x."started_at" DESC, x."id" DESC
      ${limit ? Prisma.sql`LIMIT ${limit}` : Prisma.empty}
    ) a ON true
    LEFT JOIN "stations" st ON st."id" = a."station_id"
    LEFT JOIN "slots" sl ON sl."id" = a."slot_id"
    LEFT JOIN "adapters" ad ON ad."id" = a."adapter_id"
    LEFT JOIN "firmware_packages" fp ON fp."id" = a."package_id"
    LEFT JOIN "users" u ON u."id" = a."operator_id"
    WHERE m."imei" = CAST(${imei} AS char(15))
    ORDER BY a."started_at" DESC, a."id" DESC`;
  const first = rows[0];
  if (!first) return null;
  const module: Module = {
    id: first.m_id,
    imei: first.m_imei,
    status: first.m_status,
    currentRevision: first.m_current_revision,
    statusReason: first.m_status_reason,
    createdAt: first.m_created_at,
    updatedAt: first.m_updated_at,
  };
  const decisions = first.decisions.map((d) => ({
    ...d,
    decidedAt: new Date(d.decidedAt),
    releasedAt: d.releasedAt === null ? null : new Date(d.releasedAt),
  }));
  return { module, attempts: rows.filter((r) => r.id !== null).map(attemptOf), decisions };
}

const attemptOf = (r: HistoryRow): ModuleHistoryAttempt => ({
  id: r.id!,
  jobId: r.job_id,
  retryOfId: r.retry_of_id,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  outcome: r.outcome,
  stageReached: r.stage_reached,
  errorCode: r.error_code,
  errorName: r.error_name,
  errorMessage: r.error_message,
  stageTimings: r.stage_timings,
  baud: r.baud,
  bytesWritten: r.bytes_written,
  revisionBefore: r.revision_before,
  revisionAfter: r.revision_after,
  reportedImei: r.reported_imei,
  station: { id: r.station_id, code: r.station_code, name: r.station_name },
  slot: { id: r.slot_id, index: r.slot_index, label: r.slot_label },
  adapter: r.adapter_id === null ? null : { id: r.adapter_id, identity: r.adapter_identity ?? '' },
  package: { id: r.package_id, name: r.package_name, revision: r.package_revision },
  operator:
    r.operator_id === null ? null : { id: r.operator_id, displayName: r.operator_name ?? '' },
});
