import {
  attemptRepository,
  firmwareActivationRepository,
  firmwarePackageRepository,
  ModuleBlockedError,
  ModuleBusyError,
  SlotBusyError,
  stationRepository,
  type PrismaClient,
} from '@station/db';
import {
  FlashRunPayload,
  type CreateFlashJobRequest,
  type CreateFlashJobResponse,
  type StationPackage,
  type StationStatus,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import type { StationKeyring } from '../stations/station-keyring';
import type { StationRegistry } from '../stations/station-registry.service';
import { enqueueFlashJob } from './enqueue-flash-job';
import type { FlashQueues } from './flash-queues';
import { withDeadline } from './with-deadline';

const DEFAULT_BAUD = 921600;
/** How long a scan waits for a registration being stored before answering STATION_NOT_STORED. */
const STORE_WAIT_MS = 3000;

/**
 * The package a scan flashes: the one it names; else the activated one (the station's own
 * activation beats the line's); else the only one the station announced.
 */
function choosePackage(
  station: StationStatus,
  packageId: string | undefined,
  activated: StationPackage | null,
): StationPackage {
  const packages = station.packages ?? [];
  if (packageId === undefined && activated) return activated;
  if (packageId !== undefined) {
    const found = packages.find((p) => p.packageId === packageId);
    if (!found)
      throw new NotFoundError(
        `Station ${station.stationId} does not hold package ${packageId} (it has: ${packages.map((p) => p.packageId).join(', ') || 'none'})`,
      );
    return found;
  }
  if (packages.length === 1) return packages[0]!;
  if (packages.length === 0)
    throw new ConflictError(
      'NO_PACKAGE',
      `Station ${station.stationId} announced no firmware package: put one in its FIRMWARE_DIR and restart it`,
    );
  throw new BadRequestError(
    'PACKAGE_REQUIRED',
    `Station ${station.stationId} holds ${packages.length} packages (${packages.map((p) => p.packageId).join(', ')}): say which with packageId`,
  );
}

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
      logger: Logger;
    },
  ) {}

  async create(request: CreateFlashJobRequest): Promise<CreateFlashJobResponse> {
    const { prisma, registry, logger } = this.deps;
    const { stationId, slot, imei } = request;
    const station = registry.get(stationId);
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
    const active =
      request.packageId === undefined
        ? await firmwareActivationRepository.currentFor(prisma, stationId)
        : null;
    const pkg = choosePackage(
      station,
      request.packageId,
      active && {
        packageId: active.package.name,
        digest: active.package.digest,
        revision: active.package.revision,
        platform: active.package.platform,
      },
    );

    // A station that has just registered may still be writing its slots and packages.
    await withDeadline(registry.whenStored(stationId), STORE_WAIT_MS).catch(() => {});
    const stationRow = await stationRepository.findByCode(prisma, stationId);
    const slotRow = stationRow?.slots.find((s) => s.index === slot - 1);
    const packageRow = await firmwarePackageRepository.findByDigest(prisma, pkg.digest);
    if (!stationRow || !slotRow || !packageRow)
      throw new ConflictError(
        'STATION_NOT_STORED',
        `Station ${stationId}'s registration is not stored yet (${!stationRow ? 'station' : !slotRow ? `slot ${slot}` : `package ${pkg.packageId}`}): retry in a moment`,
      );

    const baud = request.baud ?? DEFAULT_BAUD;
    const attempt = await this.open({
      imei,
      stationId: stationRow.id,
      slotId: slotRow.id,
      packageId: packageRow.id,
      adapterId: slotRow.currentAdapter?.id ?? null,
      baud,
      slot,
      stationCode: stationId,
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
      registryPackageId: packageRow.storedAt ? packageRow.id : null,
      baud,
      retryOf: null,
    });
    await this.enqueue(payload);
    logger.info(
      { attemptId: attempt.id, stationId, slot, imei, packageId: pkg.packageId },
      'flash job queued',
    );
    return { attemptId: attempt.id, stationId, slot, imei, packageId: pkg.packageId };
  }

  private async open(input: {
    imei: string;
    stationId: string;
    slotId: string;
    packageId: string;
    adapterId: string | null;
    baud: number;
    slot: number;
    stationCode: string;
  }) {
    const { slot, stationCode, ...open } = input;
    try {
      return await attemptRepository.openForScan(this.deps.prisma, open);
    } catch (error) {
      if (error instanceof SlotBusyError)
        throw new ConflictError(
          'SLOT_BUSY',
          `Slot ${slot} of station ${stationCode} is still flashing: wait for its result`,
        );
      if (error instanceof ModuleBusyError)
        throw new ConflictError(
          'MODULE_BUSY',
          `Module ${input.imei} is already being flashed in another slot: a label scanned twice?`,
        );
      if (error instanceof ModuleBlockedError)
        throw new ConflictError(
          'MODULE_BLOCKED',
          `Module ${error.imei} is ${error.status}${error.reason ? ` (${error.reason})` : ''}: it may not be flashed`,
        );
      throw error;
    }
  }

  /** Hands the job to the station's queue; an attempt Redis would not take is settled failed. */
  private async enqueue(payload: FlashRunPayload): Promise<void> {
    await enqueueFlashJob(this.deps, payload);
  }
}
