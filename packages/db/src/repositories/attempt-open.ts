// Opening an attempt for an operator's scan: module on first sight, blocked-module and
// already-passed refusals and the one-open-attempt rules, all in one transaction, so a refused
// scan writes nothing at all.
import {
  ModuleAlreadyPassedError,
  ModuleBlockedError,
  ModuleBusyError,
  NotFoundError,
  SlotBusyError,
} from '../errors';
import type { FlashAttempt, ModuleStatus, Prisma } from '../generated/prisma/client';
import { auditRepository } from './audit.repository';
import { isForeignKeyViolation, isUniqueViolation } from './constraint-errors';
import { assertImei } from './imei';
import { runTransaction } from './transaction';
import type { PrismaClientOrTransaction } from './types';
import { uuidv7 } from './uuid';

export interface OpenForScanInput {
  /** The label's IMEI, as scanned (15 digits). */
  imei: string;
  /** stations.id (uuid), not the station's code. */
  stationId: string;
  /** slots.id (uuid). */
  slotId: string;
  /** firmware_packages.id (uuid), e.g. from firmwarePackageRepository.upsertFromStation. */
  packageId: string;
  adapterId?: string | null;
  baud?: number | null;
  operatorId?: string | null;
  retryOfId?: string | null;
  /** The label exactly as scanned, and the format its IMEI was read with (null: a bare IMEI). */
  labelRaw?: string | null;
  labelFormat?: string | null;
  /** Flash a module that already passed with this package; recorded as `flash.rework`. */
  rework?: ReworkOverride | null;
}

/** Who overrides ALREADY_PASSED (a supervisor or above: the caller checks the role). */
export interface ReworkOverride {
  actorId: string | null;
  actorLabel: string;
  /** Context for the audit event (the package's name, the station and slot …). */
  details?: Record<string, Prisma.InputJsonValue>;
}

export const ONE_OPEN_PER_SLOT = 'flash_attempts_one_open_per_slot';
export const ONE_OPEN_PER_MODULE = 'flash_attempts_one_open_per_module';

// Which row a foreign key violation means is missing, by the attempt's column.
const REFERENCES = [
  ['slot_id', 'Slot', 'slotId'],
  ['station_id', 'Station', 'stationId'],
  ['package_id', 'Firmware package', 'packageId'],
  ['adapter_id', 'Adapter', 'adapterId'],
  ['operator_id', 'User', 'operatorId'],
  ['retry_of_id', 'Attempt', 'retryOfId'],
] as const;

/**
 * Opens a running attempt for a scan; its jobId is its own id. Throws InvalidImeiError,
 * ModuleBlockedError (quarantined or scrapped), ModuleAlreadyPassedError (its last pass was with
 * this package, and no rework override), SlotBusyError, ModuleBusyError (open in another
 * slot) or NotFoundError (slot, station, package… missing); in every such case nothing was
 * written, not even the module row. Inside a caller's transaction a refusal aborts that
 * transaction (Postgres does after a violation); given the client, it retries deadlocks and
 * deadline misses and ends in DatabaseUnavailableError when they persist.
 */
export async function openForScan(
  db: PrismaClientOrTransaction,
  input: OpenForScanInput,
): Promise<FlashAttempt> {
  const imei = assertImei(input.imei);
  try {
    return await runTransaction(db, async (tx) => {
      const module = await moduleForScan(tx, imei);
      if (module.status === 'quarantined' || module.status === 'scrapped')
        throw new ModuleBlockedError(imei, module.status, module.statusReason);
      const passed = module.status === 'passed' ? module.lastPass : null;
      const rework = passed?.packageId === input.packageId ? passed : null;
      if (rework && !input.rework)
        throw new ModuleAlreadyPassedError(imei, rework.id, rework.endedAt ?? rework.startedAt);
      const id = uuidv7();
      const created = await tx.flashAttempt.create({
        data: {
          id,
          jobId: id,
          moduleId: module.id,
          stationId: input.stationId,
          slotId: input.slotId,
          packageId: input.packageId,
          adapterId: input.adapterId ?? null,
          operatorId: input.operatorId ?? null,
          retryOfId: input.retryOfId ?? null,
          baud: input.baud ?? null,
          labelRaw: input.labelRaw ?? null,
          labelFormat: input.labelFormat ?? null,
          outcome: 'running',
        },
      });
      const attempt = await startAfterPrevious(tx, created);
      if (rework && input.rework)
        await auditRepository.record(tx, {
          action: 'flash.rework',
          entityType: 'module',
          entityId: imei,
          actorId: input.rework.actorId,
          actorLabel: input.rework.actorLabel,
          details: {
            ...input.rework.details,
            imei,
            packageId: input.packageId,
            attemptId: attempt.id,
            passedAttemptId: rework.id,
          },
        });
      return attempt;
    });
  } catch (error) {
    if (isUniqueViolation(error, ONE_OPEN_PER_SLOT)) throw new SlotBusyError(input.slotId);
    if (isUniqueViolation(error, ONE_OPEN_PER_MODULE)) throw new ModuleBusyError(imei);
    for (const [column, entity, field] of REFERENCES) {
      if (isForeignKeyViolation(error, column))
        throw new NotFoundError(entity, String(input[field]));
    }
    throw error;
  }
}

/**
 * The start time was taken before the insert, which may then have waited for the slot's or the
 * module's previous attempt to be settled (the one-open-attempt indexes): the record must never
 * show two attempts of one slot or one module overlapping, so the start moves up to that
 * attempt's end. The previous attempt is the latest one by start (index-served).
 */
async function startAfterPrevious(
  tx: PrismaClientOrTransaction,
  attempt: FlashAttempt,
): Promise<FlashAttempt> {
  const [row] = await tx.$queryRaw<{ started_at: Date }[]>`
    UPDATE "flash_attempts" a SET "started_at" = GREATEST(a."started_at",
      (SELECT p."ended_at" FROM "flash_attempts" p
        WHERE p."slot_id" = ${attempt.slotId}::uuid AND p."id" <> a."id"
        ORDER BY p."started_at" DESC LIMIT 1),
      (SELECT p."ended_at" FROM "flash_attempts" p
        WHERE p."module_id" = ${attempt.moduleId}::uuid AND p."id" <> a."id"
        ORDER BY p."started_at" DESC LIMIT 1))
    WHERE a."id" = ${attempt.id}::uuid
    RETURNING a."started_at"`;
  return row ? { ...attempt, startedAt: row.started_at } : attempt;
}

interface ScannedModule {
  id: string;
  status: ModuleStatus;
  statusReason: string | null;
  /** Its most recent passed attempt (the package it last passed with); null unless `passed`. */
  lastPass: { id: string; packageId: string; startedAt: Date; endedAt: Date | null } | null;
}

interface ScannedModuleRow {
  id: string;
  status: ModuleStatus;
  statusReason: string | null;
  passId: string | null;
  passPackageId: string | null;
  passStartedAt: Date | null;
  passEndedAt: Date | null;
}

/**
 * The scanned module, created on first sight, with its last pass: one statement where Prisma
 * took three round trips (insert, read, last pass), each holding the transaction's connection.
 * INSERT … ON CONFLICT DO NOTHING: two first scans of one IMEI never race on the unique key.
 */
async function moduleForScan(tx: PrismaClientOrTransaction, imei: string): Promise<ScannedModule> {
  const rows = await tx.$queryRaw<ScannedModuleRow[]>`
    WITH inserted AS (
      INSERT INTO "modules" ("id", "imei", "updated_at") VALUES (${uuidv7()}::uuid, ${imei}, now())
      ON CONFLICT ("imei") DO NOTHING
      RETURNING "id", "status", "status_reason"
    ), found AS (
      SELECT "id", "status", "status_reason" FROM inserted
      UNION ALL
      SELECT "id", "status", "status_reason" FROM "modules" WHERE "imei" = ${imei}
    )
    SELECT f."id", f."status"::text AS "status", f."status_reason" AS "statusReason",
           p."id" AS "passId", p."package_id" AS "passPackageId",
           p."started_at" AS "passStartedAt", p."ended_at" AS "passEndedAt"
      FROM found f
      LEFT JOIN LATERAL (
        SELECT a."id", a."package_id", a."started_at", a."ended_at" FROM "flash_attempts" a
         WHERE f."status" = 'passed' AND a."module_id" = f."id" AND a."outcome" = 'passed'
         ORDER BY a."ended_at" DESC, a."id" DESC LIMIT 1) p ON true
     LIMIT 1`;
  const row = rows[0];
  if (row) {
    const { passId, passPackageId, passStartedAt, passEndedAt, ...module } = row;
    return {
      ...module,
      lastPass:
        passId && passPackageId && passStartedAt
          ? { id: passId, packageId: passPackageId, startedAt: passStartedAt, endedAt: passEndedAt }
          : null,
    };
  }
  // The row came from a first scan that committed after this statement's snapshot (its INSERT
  // waited for it, then did nothing): the next statement sees it.
  const module = await tx.module.findUnique({ where: { imei } });
  if (!module) throw new NotFoundError('Module', imei);
  const lastPass = module.status === 'passed' ? await lastPassOf(tx, module.id) : null;
  return { id: module.id, status: module.status, statusReason: module.statusReason, lastPass };
}

/** The module's most recent passed attempt: the package it last passed with. */
function lastPassOf(tx: PrismaClientOrTransaction, moduleId: string) {
  return tx.flashAttempt.findFirst({
    where: { moduleId, outcome: 'passed' },
    orderBy: [{ endedAt: 'desc' }, { id: 'desc' }],
    select: { id: true, packageId: true, startedAt: true, endedAt: true },
  });
}
