// Opening an attempt for an operator's scan: module on first sight, blocked-module and
// already-passed refusals, the one-open-attempt rules and a rework's audit event, all in one
// statement (the `flash_open_for_scan` function, migration open_for_scan_function), so a refused
// scan writes nothing at all and a burst of scans takes one round trip each.
import {
  ModuleAlreadyPassedError,
  ModuleBlockedError,
  ModuleBusyError,
  NotFoundError,
  SlotBusyError,
} from '../errors';
import {
  Prisma,
  type AttemptOutcome,
  type FlashAttempt,
  type FlashStage,
} from '../generated/prisma/client';
import { isForeignKeyViolation, isUniqueViolation, postgresCodeOf } from './constraint-errors';
import { assertImei } from './imei';
import { runStatement } from './transaction';
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
 * written, not even the module row. Inside a caller's transaction it runs in a savepoint, so a
 * refusal undoes only itself; given the client, it retries deadlocks and ends in
 * DatabaseUnavailableError when they persist.
 */
export async function openForScan(
  db: PrismaClientOrTransaction,
  input: OpenForScanInput,
): Promise<FlashAttempt> {
  const imei = assertImei(input.imei);
  const id = uuidv7();
  const { rework } = input;
  try {
    const rows = await runStatement(
      db,
      (client) => client.$queryRaw<AttemptRow[]>`
        SELECT ${ATTEMPT_COLUMNS} FROM "flash_open_for_scan"(
          ${id}::uuid, ${uuidv7()}::uuid, ${imei}, ${input.stationId}::uuid, ${input.slotId}::uuid,
          ${input.packageId}::uuid, ${input.adapterId ?? null}::uuid,
          ${input.operatorId ?? null}::uuid, ${input.retryOfId ?? null}::uuid,
          ${input.baud ?? null}::integer, ${input.labelRaw ?? null}::text,
          ${input.labelFormat ?? null}::text, ${rework?.actorId ?? null}::uuid,
          ${rework?.actorLabel ?? null}::text,
          ${rework ? JSON.stringify(rework.details ?? {}) : null}::jsonb) a`,
    );
    const row = rows[0];
    if (!row) throw new Error(`flash_open_for_scan returned no attempt for ${imei}`);
    return toAttempt(row);
  } catch (error) {
    throw refusalOf(error, imei, input) ?? error;
  }
}

/** The typed refusal a failed open means, or undefined for any other failure. */
function refusalOf(error: unknown, imei: string, input: OpenForScanInput): Error | undefined {
  const sqlState = postgresCodeOf(error);
  const cause = (error as { meta?: { driverAdapterError?: { cause?: RaisedError } } }).meta
    ?.driverAdapterError?.cause;
  if (sqlState === 'FS001')
    return new ModuleBlockedError(
      imei,
      cause?.detail === 'scrapped' ? 'scrapped' : 'quarantined',
      cause?.hint || null,
    );
  if (sqlState === 'FS002') {
    const pass = JSON.parse(cause?.detail ?? '{}') as { attemptId?: string; at?: string };
    return new ModuleAlreadyPassedError(imei, pass.attemptId ?? '', new Date(pass.at ?? 0));
  }
  if (isUniqueViolation(error, ONE_OPEN_PER_SLOT)) return new SlotBusyError(input.slotId);
  if (isUniqueViolation(error, ONE_OPEN_PER_MODULE)) return new ModuleBusyError(imei);
  for (const [column, entity, field] of REFERENCES) {
    if (isForeignKeyViolation(error, column))
      return new NotFoundError(entity, String(input[field]));
  }
  return undefined;
}

/** What the driver keeps of a RAISE in the function: its DETAIL and HINT. */
interface RaisedError {
  detail?: string;
  hint?: string;
}

// The attempt's columns under Prisma's field names, so the row is a FlashAttempt.
const ATTEMPT_COLUMNS = Prisma.sql`
  a."id"::text AS "id", a."module_id"::text AS "moduleId", a."station_id"::text AS "stationId",
  a."slot_id"::text AS "slotId", a."adapter_id"::text AS "adapterId",
  a."package_id"::text AS "packageId", a."operator_id"::text AS "operatorId", a."job_id" AS "jobId",
  a."retry_of_id"::text AS "retryOfId", a."started_at" AS "startedAt", a."ended_at" AS "endedAt",
  a."outcome"::text AS "outcome", a."stage_reached"::text AS "stageReached",
  a."error_code" AS "errorCode", a."error_name" AS "errorName", a."error_message" AS "errorMessage",
  a."stage_timings" AS "stageTimings", a."baud" AS "baud", a."bytes_written" AS "bytesWritten",
  a."revision_before" AS "revisionBefore", a."revision_after" AS "revisionAfter",
  a."reported_imei" AS "reportedImei", a."operator_hint" AS "operatorHint",
  a."engineer_hint" AS "engineerHint", a."protocol_trace" AS "protocolTrace",
  a."label_raw" AS "labelRaw", a."label_format" AS "labelFormat"`;

type AttemptRow = Omit<FlashAttempt, 'outcome' | 'stageReached' | 'bytesWritten'> & {
  outcome: string;
  stageReached: string;
  bytesWritten: bigint | number | string | null;
};

function toAttempt(row: AttemptRow): FlashAttempt {
  return {
    ...row,
    outcome: row.outcome as AttemptOutcome,
    stageReached: row.stageReached as FlashStage,
    bytesWritten: row.bytesWritten === null ? null : BigInt(row.bytesWritten),
  };
}
