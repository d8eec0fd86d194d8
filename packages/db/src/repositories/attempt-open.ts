// Opening an attempt for an operator's scan: module on first sight, blocked-module refusal and the
// one-open-attempt rules, all in one transaction, so a refused scan writes nothing at all.
import { ModuleBlockedError, ModuleBusyError, NotFoundError, SlotBusyError } from '../errors';
import type { FlashAttempt } from '../generated/prisma/client';
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
 * ModuleBlockedError (quarantined or scrapped), SlotBusyError, ModuleBusyError (open in another
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
      const id = uuidv7();
      return tx.flashAttempt.create({
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
          outcome: 'running',
        },
      });
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
