// The attempt explorer's reads (issue #10 §2): a keyset page of attempts newest first, one attempt
// with its retry chain. Keyset, not OFFSET: a page deep in ten million rows costs what the first
// does, and rows inserted meanwhile never shift a page. The (started_at, id) row comparison is
// served by flash_attempts_started_at_id_idx; filtered pages by the (x, started_at) indexes.
import { Prisma } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

export interface AttemptExplorerFilter {
  from?: Date;
  to?: Date;
  stationCode?: string;
  /** 1-based. */
  slot?: number;
  errorCode?: number;
  outcome?: string;
  packageName?: string;
  imei?: string;
}

export interface AttemptPosition {
  startedAt: Date;
  id: string;
}

/** One explorer row, joined with the names a reader needs. */
export interface AttemptExplorerRow {
  id: string;
  imei: string;
  stationCode: string;
  /** 0-based, as slots.index stores it. */
  slotIndex: number;
  packageName: string;
  packageRevision: string;
  outcome: string;
  errorCode: number | null;
  errorName: string | null;
  stageReached: string;
  startedAt: Date;
  endedAt: Date | null;
  baud: number | null;
  retryOfId: string | null;
  labelRaw: string | null;
}

export interface AttemptExplorerDetail extends AttemptExplorerRow {
  errorMessage: string | null;
  stageTimings: unknown;
  operatorHint: string | null;
  engineerHint: string | null;
  bytesWritten: bigint | null;
  revisionBefore: string | null;
  revisionAfter: string | null;
  reportedImei: string | null;
  labelFormat: string | null;
  protocolTrace: unknown;
  /** The username of whoever started it; null for an API key, a script or the line's retry. */
  operator: string | null;
}

const COLUMNS = Prisma.sql`
  a.id::text AS "id", m.imei AS "imei", s.code AS "stationCode", sl.index AS "slotIndex",
  p.name AS "packageName", p.revision AS "packageRevision", a.outcome::text AS "outcome",
  a.error_code AS "errorCode", a.error_name AS "errorName", a.stage_reached::text AS "stageReached",
  a.started_at AS "startedAt", a.ended_at AS "endedAt", a.baud AS "baud",
  a.retry_of_id::text AS "retryOfId", a.label_raw AS "labelRaw"`;

const JOINS = Prisma.sql`
  FROM flash_attempts a
  JOIN modules m ON m.id = a.module_id
  JOIN stations s ON s.id = a.station_id
  JOIN slots sl ON sl.id = a.slot_id
  JOIN firmware_packages p ON p.id = a.package_id`;

// Names (station code, slot number, package name, IMEI) become ids in subqueries before they meet
// flash_attempts, so a filtered page walks that column's (x, started_at) index instead of the
// whole time index: a scalar subquery is evaluated once and compared like a constant.
function conditions(filter: AttemptExplorerFilter, after?: AttemptPosition): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  const { stationCode, slot } = filter;
  if (filter.from) where.push(Prisma.sql`a.started_at >= ${filter.from}`);
  if (filter.to) where.push(Prisma.sql`a.started_at < ${filter.to}`);
  if (stationCode !== undefined) {
    where.push(Prisma.sql`a.station_id = (SELECT id FROM stations WHERE code = ${stationCode})`);
  }
  if (slot !== undefined && stationCode !== undefined) {
    where.push(Prisma.sql`a.slot_id = (
      SELECT x.id FROM slots x JOIN stations y ON y.id = x.station_id
      WHERE y.code = ${stationCode} AND x.index = ${slot - 1})`);
  } else if (slot !== undefined) {
    where.push(Prisma.sql`a.slot_id IN (SELECT id FROM slots WHERE index = ${slot - 1})`);
  }
  if (filter.errorCode !== undefined) where.push(Prisma.sql`a.error_code = ${filter.errorCode}`);
  if (filter.outcome !== undefined) {
    where.push(Prisma.sql`a.outcome = ${filter.outcome}::attempt_outcome`);
  }
  if (filter.packageName !== undefined) {
    where.push(
      Prisma.sql`a.package_id IN (SELECT id FROM firmware_packages WHERE name = ${filter.packageName})`,
    );
  }
  if (filter.imei !== undefined) {
    where.push(Prisma.sql`a.module_id = (SELECT id FROM modules WHERE imei = ${filter.imei})`);
  }
  if (after) {
    where.push(Prisma.sql`(a.started_at, a.id) < (${after.startedAt}, ${after.id}::uuid)`);
  }
  return where.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}`;
}

/** Up to `limit` attempts matching `filter`, newest first, strictly after `after`. */
async function page(
  db: PrismaClientOrTransaction,
  filter: AttemptExplorerFilter,
  limit: number,
  after?: AttemptPosition,
): Promise<AttemptExplorerRow[]> {
  return db.$queryRaw<AttemptExplorerRow[]>`
    SELECT ${COLUMNS} ${JOINS} ${conditions(filter, after)}
    ORDER BY a.started_at DESC, a.id DESC
    LIMIT ${limit}`;
}

/**
 * Every matching attempt, newest first, fetched `batch` rows at a time so a million-row export
 * never sits in memory: the caller consumes one batch before the next is read.
 */
async function* each(
  db: PrismaClientOrTransaction,
  filter: AttemptExplorerFilter,
  batch = 1000,
): AsyncGenerator<AttemptExplorerRow> {
  let after: AttemptPosition | undefined;
  for (;;) {
    const rows = await page(db, filter, batch, after);
    yield* rows;
    if (rows.length < batch) return;
    const last = rows.at(-1)!;
    after = { startedAt: last.startedAt, id: last.id };
  }
}

/** One attempt with everything the attempt page shows; null when no attempt has that id. */
async function detail(
  db: PrismaClientOrTransaction,
  id: string,
): Promise<AttemptExplorerDetail | null> {
  const [row] = await db.$queryRaw<AttemptExplorerDetail[]>`
    SELECT ${COLUMNS},
      a.error_message AS "errorMessage", a.stage_timings AS "stageTimings",
      a.operator_hint AS "operatorHint", a.engineer_hint AS "engineerHint",
      a.bytes_written AS "bytesWritten", a.revision_before AS "revisionBefore",
      a.revision_after AS "revisionAfter", a.reported_imei AS "reportedImei",
      a.label_format AS "labelFormat", a.protocol_trace AS "protocolTrace",
      (SELECT u.username FROM users u WHERE u.id = a.operator_id) AS "operator"
    ${JOINS}
    WHERE a.id = ${id}::uuid`;
  return row ?? null;
}

/**
 * The retry chain `id` belongs to, first try to last: up retry_of_id to the first try, then down
 * every retry of it, in start order.
 */
async function retryChain(db: PrismaClientOrTransaction, id: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE up AS (
      SELECT id, retry_of_id FROM flash_attempts WHERE id = ${id}::uuid
      UNION ALL
      SELECT f.id, f.retry_of_id FROM flash_attempts f JOIN up ON f.id = up.retry_of_id
    ), down AS (
      SELECT id, started_at FROM flash_attempts
        WHERE id = (SELECT id FROM up WHERE retry_of_id IS NULL)
      UNION ALL
      SELECT f.id, f.started_at FROM flash_attempts f JOIN down ON f.retry_of_id = down.id
    )
    SELECT id::text AS id FROM down ORDER BY started_at, id`;
  return rows.map((r) => r.id);
}

export const attemptExplorerRepository = { page, each, detail, retryChain };
