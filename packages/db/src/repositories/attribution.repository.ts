// Attribution decisions (issue #9 §2): after every failed attempt its slot is judged (a noisy
// adapter shows in failures that a retry then rescues), after a failure that ends its chain its
// module too; the record is read for evidence, the pure rules (attribution-rule.ts) judge it, and a
// decision is stored with the module's or slot's new status, all in the caller's transaction (the
// one that stores the result).
import type { Prisma } from '../generated/prisma/client';
import type { AttributionDecision } from '../generated/prisma/client';
import {
  decideQuarantine,
  decideSuspect,
  type AttributionThresholds,
  type FaultBlame,
  type Judgement,
  type ModuleFailure,
  type SlotWindowAttempt,
} from './attribution-rule';
import { isUniqueViolation } from './constraint-errors';
import { runTransaction } from './transaction';
import type { PrismaClientOrTransaction } from './types';

export type DecisionKind = 'module.quarantined' | 'slot.suspect';

/** A decision as the line shows it (contracts AttributionDecision) with its row id. */
export interface StoredDecision {
  id: string;
  kind: DecisionKind;
  /** The IMEI, or `<station code>/<slot number>`. */
  subject: string;
  reason: string;
  evidence: string[];
}

export interface JudgeOptions {
  /** The error catalogue's blame of a stored error name (the server knows the catalogue). */
  blameOf: (errorName: string | null) => FaultBlame;
  thresholds: AttributionThresholds;
}

interface AttemptFacts {
  id: string;
  module_id: string;
  imei: string;
  module_status: string;
  slot_id: string;
  slot_status: string;
  slot_number: number;
  station_id: string;
  station_code: string;
  package_id: string;
  outcome: string;
}

async function factsOf(
  db: PrismaClientOrTransaction,
  attemptId: string,
): Promise<AttemptFacts | null> {
  const [facts] = await db.$queryRaw<AttemptFacts[]>`
    SELECT a."id", a."module_id", m."imei", m."status"::text AS module_status, a."slot_id",
           s."status"::text AS slot_status, s."index" + 1 AS slot_number, a."station_id",
           st."code" AS station_code, a."package_id", a."outcome"::text AS outcome
    FROM "flash_attempts" a
    JOIN "modules" m ON m."id" = a."module_id"
    JOIN "slots" s ON s."id" = a."slot_id"
    JOIN "stations" st ON st."id" = a."station_id"
    WHERE a."id" = ${attemptId}::uuid`;
  return facts && facts.outcome === 'failed' ? facts : null;
}

/**
 * Judges the failed attempt's slot, after EVERY failure, retried or not: call it before deciding
 * the retry, so a slot it turns suspect retries nothing. Returns the decision made, if any.
 */
async function judgeSlot(
  db: PrismaClientOrTransaction,
  attemptId: string,
  options: JudgeOptions,
): Promise<StoredDecision[]> {
  const facts = await factsOf(db, attemptId);
  if (!facts || facts.slot_status !== 'active') return [];
  const judgement = await slotJudgement(db, facts, options);
  const stored = judgement && (await storeSlotSuspect(db, facts, judgement));
  return stored ? [stored] : [];
}

/**
 * Judges the failed attempt's module, after a failure that ends its chain (the policy did not
 * retry it), and after its slot was judged, so a failure the slot was found guilty of is not also
 * counted against the module.
 */
async function judgeModule(
  db: PrismaClientOrTransaction,
  attemptId: string,
  options: JudgeOptions,
): Promise<StoredDecision[]> {
  const facts = await factsOf(db, attemptId);
  if (!facts || facts.module_status === 'quarantined' || facts.module_status === 'scrapped')
    return [];
  const judgement = decideQuarantine(await moduleFailures(db, facts.module_id, options));
  const stored = judgement && (await storeQuarantine(db, facts, judgement));
  return stored ? [stored] : [];
}

/** Both, slot first, for a failure that ends its chain. Run it inside the settling transaction. */
async function judge(
  db: PrismaClientOrTransaction,
  attemptId: string,
  options: JudgeOptions,
): Promise<StoredDecision[]> {
  const slot = await judgeSlot(db, attemptId, options);
  return [...slot, ...(await judgeModule(db, attemptId, options))];
}

interface FailureRow {
  id: string;
  slot_id: string;
  slot_name: string;
  error_name: string | null;
  slot_healthy: boolean;
}

/**
 * The module's final failures since it last passed or was last released from quarantine, each
 * with whether its slot was healthy: no suspect decision open at that time, not suspect now, and
 * the failure not part of the evidence that made it suspect (the slot was found guilty of it).
 */
async function moduleFailures(
  db: PrismaClientOrTransaction,
  moduleId: string,
  options: JudgeOptions,
): Promise<ModuleFailure[]> {
  const rows = await db.$queryRaw<FailureRow[]>`
    SELECT a."id", a."slot_id", st."code" || '/' || (s."index" + 1) AS slot_name, a."error_name",
           (s."status" = 'active' AND NOT EXISTS (
              SELECT 1 FROM "attribution_decisions" d
              WHERE d."slot_id" = a."slot_id" AND d."kind" = 'slot.suspect'
                AND ((d."decided_at" <= a."started_at"
                      AND (d."released_at" IS NULL OR d."released_at" > a."started_at"))
                     OR a."id" = ANY(d."evidence_attempt_ids")))) AS slot_healthy
    FROM "flash_attempts" a
    JOIN "slots" s ON s."id" = a."slot_id"
    JOIN "stations" st ON st."id" = a."station_id"
    WHERE a."module_id" = ${moduleId}::uuid AND a."outcome" = 'failed'
      AND NOT EXISTS (SELECT 1 FROM "flash_attempts" r WHERE r."retry_of_id" = a."id")
      AND a."started_at" > COALESCE(GREATEST(
            (SELECT max(p."ended_at") FROM "flash_attempts" p
             WHERE p."module_id" = ${moduleId}::uuid AND p."outcome" = 'passed'),
            (SELECT max(d."released_at") FROM "attribution_decisions" d
             WHERE d."module_id" = ${moduleId}::uuid)), '-infinity'::timestamptz)
    ORDER BY a."started_at", a."id"`;
  return rows.map((row) => ({
    attemptId: row.id,
    slotId: row.slot_id,
    slotName: row.slot_name,
    errorName: row.error_name,
    blame: options.blameOf(row.error_name),
    slotHealthy: row.slot_healthy,
  }));
}

interface WindowRow {
  id: string;
  module_id: string;
  outcome: string;
  error_name: string | null;
  started_at: Date;
}

/**
 * The slot's latest finished attempts (first tries and retries) since its last release, and its
 * neighbours' passes with the same package since the oldest of them.
 */
async function slotJudgement(
  db: PrismaClientOrTransaction,
  facts: AttemptFacts,
  options: JudgeOptions,
): Promise<Judgement | null> {
  const rows = await db.$queryRaw<WindowRow[]>`
    SELECT a."id", a."module_id", a."outcome"::text AS outcome, a."error_name", a."started_at"
    FROM "flash_attempts" a
    WHERE a."slot_id" = ${facts.slot_id}::uuid AND a."ended_at" IS NOT NULL
      AND a."started_at" > COALESCE(
            (SELECT max(d."released_at") FROM "attribution_decisions" d
             WHERE d."slot_id" = ${facts.slot_id}::uuid), '-infinity'::timestamptz)
    ORDER BY a."started_at" DESC, a."id" DESC
    LIMIT ${options.thresholds.suspectWindow}`;
  const window: SlotWindowAttempt[] = rows.reverse().map((row) => ({
    attemptId: row.id,
    moduleId: row.module_id,
    outcome: row.outcome,
    errorName: row.error_name,
    blame: options.blameOf(row.error_name),
  }));
  const since = rows[0]?.started_at;
  if (!since) return null;
  const [passes] = await db.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM "flash_attempts" a
    WHERE a."station_id" = ${facts.station_id}::uuid AND a."slot_id" <> ${facts.slot_id}::uuid
      AND a."package_id" = ${facts.package_id}::uuid AND a."outcome" = 'passed'
      AND a."started_at" >= ${since}`;
  return decideSuspect(window, Number(passes?.count ?? 0), options.thresholds);
}

async function storeSlotSuspect(
  db: PrismaClientOrTransaction,
  facts: AttemptFacts,
  judgement: Judgement,
): Promise<StoredDecision | null> {
  const decision = await insertOpen(db, {
    kind: 'slot.suspect',
    slotId: facts.slot_id,
    reason: judgement.reason,
    evidence: judgement.evidence,
  });
  if (!decision) return null;
  await db.slot.updateMany({
    where: { id: facts.slot_id, status: 'active' },
    data: { status: 'suspect', statusReason: judgement.reason },
  });
  return { ...view(decision), subject: `${facts.station_code}/${facts.slot_number}` };
}

async function storeQuarantine(
  db: PrismaClientOrTransaction,
  facts: AttemptFacts,
  judgement: Judgement,
): Promise<StoredDecision | null> {
  const decision = await insertOpen(db, {
    kind: 'module.quarantined',
    moduleId: facts.module_id,
    reason: judgement.reason,
    evidence: judgement.evidence,
  });
  if (!decision) return null;
  await db.module.updateMany({
    where: { id: facts.module_id, status: { notIn: ['quarantined', 'scrapped'] } },
    data: { status: 'quarantined', statusReason: judgement.reason },
  });
  return { ...view(decision), subject: facts.imei };
}

/** Inserts an open decision; null when one is open already (another server decided first). */
async function insertOpen(
  db: PrismaClientOrTransaction,
  data: Prisma.AttributionDecisionUncheckedCreateInput,
): Promise<AttributionDecision | null> {
  try {
    // A savepoint: a lost race undoes only this insert, not the caller's transaction.
    return await runTransaction(db, (tx) => tx.attributionDecision.create({ data }));
  } catch (error) {
    if (
      isUniqueViolation(error, 'attribution_decisions_one_open_per_module') ||
      isUniqueViolation(error, 'attribution_decisions_one_open_per_slot')
    )
      return null;
    throw error;
  }
}

function view(decision: AttributionDecision): Omit<StoredDecision, 'subject'> {
  return {
    id: decision.id,
    kind: decision.kind as DecisionKind,
    reason: decision.reason,
    evidence: decision.evidence,
  };
}

export const attributionRepository = {
  judge,
  judgeSlot,
  judgeModule,

  /** A module's decisions, newest first (its history shows them). */
  async forModule(db: PrismaClientOrTransaction, moduleId: string): Promise<AttributionDecision[]> {
    return db.attributionDecision.findMany({
      where: { moduleId },
      orderBy: [{ decidedAt: 'desc' }, { id: 'desc' }],
    });
  },
};
