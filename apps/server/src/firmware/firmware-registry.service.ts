// The firmware registry: uploads checked and stored content-addressed, the packages as the API
// shows them, their files, and activation (which package new scans flash, per station or line).
import {
  auditRepository,
  firmwareActivationRepository,
  firmwarePackageRepository,
  firmwareRegistryRepository,
  stationRepository,
  type ActivationWithPackage,
  type FirmwarePackageDetail,
  type PrismaClient,
} from '@station/db';
import type {
  ActivateFirmwareResponse,
  FirmwareFileKind,
  FirmwarePackageResponse,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import type { Principal } from '../auth/access';
import { AppError, ConflictError, NotFoundError } from '../errors';
import { readArchive } from './archive-reader';
import type { ArchiveLimits } from './archive-rules';
import type { BlobStore } from './blob-store';
import { checkPackage } from './package-check';

/** Who acts, as the audit log and the activation history name them. */
export interface Actor {
  id: string | null;
  label: string;
}

/** A person's user id; an API key has none (its label names its prefix). */
export const actorOf = (principal: Principal): Actor =>
  principal.via === 'session'
    ? { id: principal.user.id, label: `user:${principal.user.id}` }
    : { id: null, label: principal.user.username };

const view = (
  row: FirmwarePackageDetail,
  active: ActivationWithPackage[],
): FirmwarePackageResponse => ({
  id: row.id,
  digest: row.digest,
  name: row.name,
  revision: row.revision,
  platform: row.platform,
  allowedFlashIds: row.allowedFlashIds,
  files: row.files.map((f) => ({
    name: f.fileName,
    kind: f.kind as FirmwareFileKind,
    sha256: f.sha256,
    sizeBytes: f.sizeBytes,
  })),
  stored: row.storedAt !== null,
  uploadedBy: row.uploadedBy,
  createdAt: row.createdAt.toISOString(),
  activeOn: active
    .filter((a) => a.packageId === row.id)
    .map((a) => ({ stationId: a.station?.code ?? null, activatedAt: a.activatedAt.toISOString() })),
});

const brief = (a: ActivationWithPackage | null) =>
  a && { packageId: a.packageId, digest: a.package.digest, revision: a.package.revision };

export class FirmwareRegistryService {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      store: BlobStore;
      limits: ArchiveLimits;
      logger: Logger;
    },
  ) {}

  /**
   * Checks the archive at `archivePath` and stores it: `created` false when this package (same
   * digest) was stored before, which is then returned unchanged. A bad archive throws before
   * anything is written.
   */
  async upload(
    archivePath: string,
    actor: Actor,
  ): Promise<{ created: boolean; package: FirmwarePackageResponse }> {
    const { prisma, store, logger } = this.deps;
    const checked = checkPackage(await readArchive(archivePath, this.deps.limits));
    const known = await firmwarePackageRepository.findByDigest(prisma, checked.digest);
    if (known?.storedAt) return { created: false, package: await this.get(known.id) };

    for (const file of checked.files) await store.put(file.sha256, file.data);
    const files = checked.files.map(({ name, kind, sha256, data, loadAddress }) => ({
      fileName: name,
      kind,
      sha256,
      sizeBytes: data.length,
      loadAddress,
    }));
    const stored = await prisma.$transaction(async (tx) => {
      const result = await firmwareRegistryRepository.recordUpload(tx, {
        ...checked,
        files,
        uploadedById: actor.id,
      });
      if (result.stored)
        await auditRepository.record(tx, {
          action: 'firmware.upload',
          entityType: 'firmware_package',
          entityId: result.package.id,
          actorId: actor.id,
          actorLabel: actor.label,
          details: {
            digest: checked.digest,
            revision: checked.revision,
            platform: checked.platform,
            files: files.map((f) => ({ name: f.fileName, kind: f.kind, sha256: f.sha256 })),
          },
        });
      return result;
    });
    if (stored.stored)
      logger.info(
        { packageId: stored.package.id, digest: checked.digest, revision: checked.revision },
        'firmware package stored',
      );
    return { created: stored.stored, package: await this.get(stored.package.id) };
  }

  async list(): Promise<FirmwarePackageResponse[]> {
    const { prisma } = this.deps;
    const [rows, active] = await Promise.all([
      firmwareRegistryRepository.list(prisma),
      firmwareActivationRepository.currentAll(prisma),
    ]);
    return rows.map((row) => view(row, active));
  }

  async get(id: string): Promise<FirmwarePackageResponse> {
    const { prisma } = this.deps;
    const row = await firmwareRegistryRepository.findById(prisma, id);
    if (!row) throw new NotFoundError(`No firmware package ${id} is known`);
    return view(row, await firmwareActivationRepository.currentAll(prisma));
  }

  /** One stored file of a package, as a stream. */
  async openFile(id: string, fileName: string) {
    const row = await firmwareRegistryRepository.findById(this.deps.prisma, id);
    if (!row) throw new NotFoundError(`No firmware package ${id} is known`);
    const file = row.files.find((f) => f.fileName === fileName);
    if (!file)
      throw new NotFoundError(
        row.files.length === 0
          ? `Package ${row.name} (${row.revision}) has no stored files: a station announced it, nobody uploaded it`
          : `Package ${row.name} has no file ${fileName} (files: ${row.files.map((f) => f.fileName).join(', ')})`,
      );
    try {
      return { ...(await this.deps.store.open(file.sha256)), sha256: file.sha256, name: fileName };
    } catch (error) {
      throw new AppError('BLOB_MISSING', `blob ${file.sha256} of package ${id} is missing`, 500, {
        cause: error,
      });
    }
  }

  /** Makes package `id` the one new scans flash on `stationCode`, or on the whole line. */
  async activate(
    id: string,
    stationCode: string | undefined,
    actor: Actor,
  ): Promise<ActivateFirmwareResponse> {
    const { prisma, logger } = this.deps;
    const row = await firmwareRegistryRepository.findById(prisma, id);
    if (!row) throw new NotFoundError(`No firmware package ${id} is known`);
    if (!row.storedAt)
      throw new ConflictError(
        'PACKAGE_NOT_STORED',
        `Package ${row.name} (${row.revision}) was only announced by a station: the server holds none of its files, so no other station could get it. Upload its archive, then activate it`,
      );
    const station =
      stationCode === undefined ? null : await stationRepository.findByCode(prisma, stationCode);
    if (stationCode !== undefined && !station)
      throw new NotFoundError(`Station ${stationCode} is not known`);

    const { activation, previous } = await prisma.$transaction(async (tx) => {
      const done = await firmwareActivationRepository.activate(tx, {
        packageId: row.id,
        stationId: station?.id ?? null,
        activatedById: actor.id,
        activatedByLabel: actor.label,
      });
      const before = brief(done.previous);
      await auditRepository.record(tx, {
        action: 'firmware.activate',
        entityType: station ? 'station' : 'line',
        entityId: stationCode ?? null,
        actorId: actor.id,
        actorLabel: actor.label,
        details: { ...(before ? { before } : {}), after: brief(done.activation)! },
      });
      return done;
    });
    logger.info(
      { packageId: row.id, stationId: stationCode ?? null },
      'firmware package activated',
    );
    return {
      packageId: row.id,
      stationId: stationCode ?? null,
      activatedAt: activation.activatedAt.toISOString(),
      previousPackageId: previous?.packageId ?? null,
    };
  }
}
