import {
  attemptRepository,
  ModuleAlreadyPassedError,
  ModuleBlockedError,
  ModuleBusyError,
  scanTargetRepository,
  SlotBusyError,
  type PrismaClient,
  type ReworkOverride,
} from '@station/db';
import {
  FlashRunPayload,
  type CreateFlashJobRequest,
  type CreateFlashJobResponse,
  type LabelFormat,
  type Role,
  type StationStatus,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import { roleAtLeast } from '../auth/role-matrix';
import { AppError, ConflictError, NotFoundError } from '../errors';
import type { StationKeyring } from '../stations/station-keyring';
import type { StationRegistry } from '../stations/station-registry.service';
import { choosePackage } from './choose-package';
import type { DoubleScanGuard, ScanClaim } from './double-scan';
import { enqueueFlashJob } from './enqueue-flash-job';
import type { FlashQueues } from './flash-queues';
import {
  alreadyPassed,
  doubleScan,
  moduleBlocked,
  moduleBusy,
  reworkForbidden,
  scannedModule,
  slotStatusRefusal,
} from './scan-interlocks';
import { withDeadline } from './with-deadline';

/** Who scanned: their role decides a rework; the attempt and the audit name them. */
export interface ScanActor {
  role: Role;
  /** users.id of a signed-in person; null for an API key. */
  userId: string | null;
  /** The audit log's actor label (`user:<id>` or the API key's name). */
  label: string;
}

const DEFAULT_BAUD = 921600;
/** How long a scan waits for a registration being stored before answering STATION_NOT_STORED. */
const STORE_WAIT_MS = 3000;
/** How long a scan waits for Redis (the double-scan check) before answering 503. */
const ENQUEUE_DEADLINE_MS = 5000;

/**
 * An operator's scan → a running attempt in Postgres and a `flash.run` job on the station's
 * queue. Every check that can refuse runs before anything is written; the database decides the
 * races (one open attempt per slot and per module) inside one transaction that writes nothing
 * when it refuses.
 */
export class FlashStartService {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      registry: StationRegistry;
      queues: FlashQueues;
      /** Station credentials: jobs go signed with the station's key, only to stations holding one. */
      keyring: Pick<StationKeyring, 'has' | 'sign'>;
      /** Double scans: the same label at the same station within the window (Redis). */
      scans: DoubleScanGuard;
      /** The site's label formats and the built-in ones, in the order tried. */
      labelFormats: readonly LabelFormat[];
      logger: Logger;
    },
  ) {}

  async create(request: CreateFlashJobRequest, actor: ScanActor): Promise<CreateFlashJobResponse> {
    const { logger } = this.deps;
    const { stationId, slot } = request;
    const scanned = scannedModule(request, this.deps.labelFormats);
    const { imei } = scanned;
    if (request.rework && !roleAtLeast(actor.role, 'supervisor')) throw reworkForbidden(actor.role);
    const station = this.connectedStation(stationId, slot);
    // A package the scan names is checked against the announcement before any database read.
    if (request.packageId !== undefined) choosePackage(station, request.packageId, null);
    const { pkg, stationRow, slotRow, packageRow } = await this.storedTarget(
      station,
      slot,
      request.packageId,
    );

    const baud = request.baud ?? DEFAULT_BAUD;
    const claim = await this.claim(stationId, imei, slot);
    const attempt = await this.open({
      imei,
      stationId: stationRow.id,
      slotId: slotRow.id,
      packageId: packageRow.id,
      adapterId: slotRow.adapterId,
      operatorId: actor.userId,
      baud,
      labelRaw: scanned.labelRaw,
      labelFormat: scanned.labelFormat,
      rework: request.rework
        ? {
            actorId: actor.userId,
            actorLabel: actor.label,
            details: { package: pkg.packageId, stationId, slot },
          }
        : null,
      slot,
      stationCode: stationId,
      packageName: pkg.packageId,
    }).catch(async (error: unknown) => {
      // Refused: the label may be scanned again at once (a supervisor's rework, another slot).
      await this.deps.scans.release(claim);
      throw error;
    });
    const payload = FlashRunPayload.parse({
      v: 1,
      attemptId: attempt.id,
      stationId,
      slot,
      imei,
      packageId: pkg.packageId,
      packageSha256: pkg.digest,
      // Stored in the registry: a station that does not hold it fetches it by this id.
      registryPackageId: packageRow.stored ? packageRow.id : null,
      baud,
      retryOf: null,
    });
    await this.enqueue(payload).catch(async (error: unknown) => {
      await this.deps.scans.release(claim);
      throw error;
    });
    logger.info(
      {
        attemptId: attempt.id,
        stationId,
        slot,
        imei,
        packageId: pkg.packageId,
        rework: !!request.rework,
      },
      'flash job queued',
    );
    return {
      attemptId: attempt.id,
      stationId,
      slot,
      imei,
      packageId: pkg.packageId,
      labelFormat: scanned.labelFormat,
    };
  }

  /** The station from the registry, trusted and connected, with the slot online. */
  private connectedStation(stationId: string, slot: number): StationStatus {
    const station = this.deps.registry.get(stationId);
    if (!station) throw new NotFoundError(`Station ${stationId} is not known`);
    if (!this.deps.keyring.has(stationId))
      throw new ConflictError(
        'STATION_UNTRUSTED',
        `Station ${stationId} has no credential (revoked, or never issued): an admin issues one with POST /api/stations`,
      );
    if (!station.connected)
      throw new ConflictError('STATION_OFFLINE', `Station ${stationId} is not connected`);
    const slotStatus = station.slots.find((s) => s.slot === slot);
    if (!slotStatus)
      throw new NotFoundError(
        `Station ${stationId} has no slot ${slot} (slots: ${station.slots.map((s) => s.slot).join(', ')})`,
      );
    if (slotStatus.online === false)
      throw new ConflictError(
        'SLOT_OFFLINE',
        `Slot ${slot} of station ${stationId} has no serial port (adapter unplugged?): check its cable`,
      );
    return station;
  }

  /**
   * The package the scan flashes and the station, slot and package rows the attempt references,
   * read in one statement (a burst of scans queues on the pool's round trips, #12 §5); the slot
   * must be active.
   */
  private async storedTarget(station: StationStatus, slot: number, packageId: string | undefined) {
    const { prisma, registry } = this.deps;
    const { stationId } = station;
    // A station that has just registered may still be writing its slots and packages.
    await withDeadline(registry.whenStored(stationId), STORE_WAIT_MS).catch(() => {});
    const target = await scanTargetRepository.find(prisma, {
      stationCode: stationId,
      slotIndex: slot - 1,
      digests: (station.packages ?? []).map((p) => p.digest),
    });
    const { activated } = target;
    const pkg = choosePackage(
      station,
      packageId,
      packageId === undefined && activated
        ? {
            packageId: activated.name,
            digest: activated.digest,
            revision: activated.revision,
            platform: activated.platform,
          }
        : null,
    );
    const packageRow =
      activated?.digest === pkg.digest
        ? activated
        : target.packages.find((p) => p.digest === pkg.digest);
    const { stationId: stationRowId, slot: slotRow } = target;
    if (!stationRowId || !slotRow || !packageRow)
      throw new ConflictError(
        'STATION_NOT_STORED',
        `Station ${stationId}'s registration is not stored yet (${!stationRowId ? 'station' : !slotRow ? `slot ${slot}` : `package ${pkg.packageId}`}): retry in a moment`,
      );
    const outOfRotation = slotStatusRefusal(slotRow, `Slot ${slot} of station ${stationId}`);
    if (outOfRotation) throw outOfRotation;
    return { pkg, stationRow: { id: stationRowId }, slotRow, packageRow };
  }

  /** The label's first scan at this station within the window, or DOUBLE_SCAN. */
  private async claim(stationId: string, imei: string, slot: number): Promise<ScanClaim> {
    const claimed = await withDeadline(
      this.deps.scans.claim(stationId, imei, slot),
      ENQUEUE_DEADLINE_MS,
    ).catch((error: unknown) => {
      throw new AppError(
        'QUEUE_UNAVAILABLE',
        'The scan could not be checked for a double scan: Redis is not reachable',
        503,
        { cause: error },
      );
    });
    if (!claimed.ok) throw doubleScan(imei, claimed.slot, slot);
    return claimed.claim;
  }

  private async open(input: {
    imei: string;
    stationId: string;
    slotId: string;
    packageId: string;
    adapterId: string | null;
    operatorId: string | null;
    baud: number;
    labelRaw: string | null;
    labelFormat: string | null;
    rework: ReworkOverride | null;
    slot: number;
    stationCode: string;
    packageName: string;
  }) {
    const { slot, stationCode, packageName, ...open } = input;
    const { prisma } = this.deps;
    try {
      return await attemptRepository.openForScan(prisma, open);
    } catch (error) {
      if (error instanceof SlotBusyError)
        throw new ConflictError(
          'SLOT_BUSY',
          `Slot ${slot} of station ${stationCode} is still flashing: wait for its result`,
        );
      if (error instanceof ModuleBusyError) {
        const running = await attemptRepository.openSlotOf(prisma, input.imei).catch(() => null);
        throw moduleBusy(input.imei, running, stationCode);
      }
      if (error instanceof ModuleBlockedError)
        throw moduleBlocked(error.imei, error.status, error.reason);
      if (error instanceof ModuleAlreadyPassedError) throw alreadyPassed(error.imei, packageName);
      throw error;
    }
  }

  /** Hands the job to the station's queue; an attempt Redis would not take is settled failed. */
  private async enqueue(payload: FlashRunPayload): Promise<void> {
    await enqueueFlashJob(this.deps, payload);
  }
}
