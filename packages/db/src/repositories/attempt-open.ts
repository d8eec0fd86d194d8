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
import type { FlashAttempt, Prisma } from '../generated/prisma/client';
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
      // INSERT … ON CONFLICT DO NOTHING: two first scans of one IMEI never race on the unique key.
      await tx.module.createMany({ data: [{ imei }], skipDuplicates: true });
      const module = await tx.module.findUnique({ where: { imei } });
      if (!module) throw new NotFoundError('Module', imei);
      if (module.status === 'quarantined' || module.status === 'scrapped')
        throw new ModuleBlockedError(imei, module.status, module.statusReason);
      const passed = module.status === 'passed' ? await lastPass(tx, module.id) : null;
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

/** The module's most recent passed attempt: the package it last passed with. */
function lastPass(tx: PrismaClientOrTransaction, moduleId: string) {
  return tx.flashAttempt.findFirst({
    where: { moduleId, outcome: 'passed' },
    orderBy: [{ endedAt: 'desc' }, { id: 'desc' }],
    select: { id: true, packageId: true, startedAt: true, endedAt: true },
  });
}
