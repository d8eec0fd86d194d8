import {
  attemptRepository,
  moduleRepository,
  SlotBusyError,
  stationRepository,
  type PrismaClient,
} from '@station/db';
import {
  FlashRunJob,
  FlashRunPayload,
  type CreateFlashJobRequest,
  type CreateFlashJobResponse,
  type StationPackage,
  type StationStatus,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../errors';
import { upsertFirmwarePackage } from './firmware-package.store';
import type { FlashQueues } from './flash-queues';
import type { StationRegistry } from './station-registry.service';

const DEFAULT_BAUD = 921600;

function choosePackage(station: StationStatus, packageId: string | undefined): StationPackage {
  const packages = station.packages ?? [];
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
 * queue. Interlocks are checked in order: station connected, slot, package, module not blocked,
 * slot free (the database's one-open-attempt-per-slot rule decides races).
 */
export class FlashJobService {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      registry: StationRegistry;
      queues: FlashQueues;
      logger: Logger;
    },
  ) {}

  async create(request: CreateFlashJobRequest): Promise<CreateFlashJobResponse> {
    const { prisma, registry, queues, logger } = this.deps;
    const { stationId, slot, imei } = request;
    const station = registry.get(stationId);
    if (!station) throw new NotFoundError(`Station ${stationId} is not known`);
    if (!station.connected)
      throw new ConflictError('STATION_OFFLINE', `Station ${stationId} is not connected`);
    if (!station.slots.some((s) => s.slot === slot))
      throw new NotFoundError(
        `Station ${stationId} has no slot ${slot} (slots: ${station.slots.map((s) => s.slot).join(', ')})`,
      );
    const pkg = choosePackage(station, request.packageId);

    const stationRow = await stationRepository.findByCode(prisma, stationId);
    const slotRow = stationRow?.slots.find((s) => s.index === slot - 1);
    if (!stationRow || !slotRow)
      throw new ConflictError(
        'STATION_NOT_STORED',
        `Station ${stationId}'s registration is not stored yet: retry in a moment`,
      );
    const packageRow = await upsertFirmwarePackage(prisma, pkg);
    const module = await moduleRepository.upsertByImei(prisma, imei);
    if (module.status === 'quarantined' || module.status === 'scrapped')
      throw new ConflictError(
        'MODULE_BLOCKED',
        `Module ${imei} is ${module.status}${module.statusReason ? ` (${module.statusReason})` : ''}: it may not be flashed`,
      );

    const baud = request.baud ?? DEFAULT_BAUD;
    let attemptId: string;
    try {
      attemptId = await prisma.$transaction(async (tx) => {
        const attempt = await attemptRepository.open(tx, {
          moduleId: module.id,
          stationId: stationRow.id,
          slotId: slotRow.id,
          packageId: packageRow.id,
          adapterId: slotRow.currentAdapter?.id ?? null,
          baud,
        });
        // The BullMQ job id is the attempt id, so a result finds its attempt without a lookup.
        await tx.flashAttempt.update({ where: { id: attempt.id }, data: { jobId: attempt.id } });
        return attempt.id;
      });
    } catch (error) {
      if (error instanceof SlotBusyError)
        throw new ConflictError(
          'SLOT_BUSY',
          `Slot ${slot} of station ${stationId} is still flashing: wait for its result`,
        );
      throw error;
    }

    const payload = FlashRunPayload.parse({
      v: 1,
      attemptId,
      stationId,
      slot,
      imei,
      packageId: pkg.packageId,
      packageSha256: pkg.digest,
      baud,
      retryOf: null,
    });
    try {
      await queues.watch(stationId);
      await queues
        .queue(stationId)
        .add(FlashRunJob.name, payload, { ...FlashRunJob.defaults, jobId: attemptId });
    } catch (error) {
      await attemptRepository
        .finish(prisma, attemptId, { outcome: 'failed', errorMessage: 'job could not be queued' })
        .catch((err: unknown) =>
          logger.error({ err, attemptId }, 'could not close unqueued attempt'),
        );
      throw new AppError(
        'QUEUE_UNAVAILABLE',
        'The flash job could not be queued: Redis is not reachable',
        503,
        {
          cause: error,
        },
      );
    }
    logger.info({ attemptId, stationId, slot, imei, packageId: pkg.packageId }, 'flash job queued');
    return { attemptId, stationId, slot, imei, packageId: pkg.packageId };
  }
}
