// Firmware packages as stations announce them. A package is identified by its digest (the
// station's packageDigest over the .cfg and the images it names): the same content is one row
// whatever folder it sits in, and changed content is a new row, so an attempt's package_id always
// says exactly which bytes were flashed.
import { InvalidPackageError, NotFoundError } from '../errors';
import type { FirmwarePackage } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

export interface StationPackageInput {
  /** The station's package folder name. */
  packageId: string;
  /** packageDigest: lower-case hex SHA-256. */
  digest: string;
  revision: string;
  platform: string;
  /** NOR flash ids the package allows, when the station announces them. */
  allowedFlashIds?: string[];
}

const DIGEST = /^[0-9a-f]{64}$/;
// Column widths in prisma/schema.prisma.
const MAX = { packageId: 200, revision: 200, platform: 32, flashId: 32 } as const;

export const firmwarePackageRepository = {
  /**
   * Records a package a station announced, once per digest. Idempotent and race-safe (INSERT …
   * ON CONFLICT DO NOTHING, then read): the first announcement's folder name is kept. A package
   * first recorded without flash ids gets them from the first announcement that has some.
   */
  async upsertFromStation(
    db: PrismaClientOrTransaction,
    input: StationPackageInput,
  ): Promise<FirmwarePackage> {
    assertPackage(input);
    const allowedFlashIds = input.allowedFlashIds ?? [];
    await db.firmwarePackage.createMany({
      data: [
        {
          digest: input.digest,
          name: input.packageId,
          revision: input.revision,
          platform: input.platform,
          allowedFlashIds,
        },
      ],
      skipDuplicates: true,
    });
    if (allowedFlashIds.length > 0) {
      await db.firmwarePackage.updateMany({
        where: { digest: input.digest, allowedFlashIds: { isEmpty: true } },
        data: { allowedFlashIds },
      });
    }
    const row = await db.firmwarePackage.findUnique({ where: { digest: input.digest } });
    // Only a delete racing this call could get here: packages with attempts cannot be deleted.
    if (!row) throw new NotFoundError('Firmware package with digest', input.digest);
    return row;
  },

  async findByDigest(
    db: PrismaClientOrTransaction,
    digest: string,
  ): Promise<FirmwarePackage | null> {
    return db.firmwarePackage.findUnique({ where: { digest } });
  },
};

function assertPackage(input: StationPackageInput): void {
  const where = `package ${JSON.stringify(input.packageId)}`;
  if (!DIGEST.test(input.digest))
    throw new InvalidPackageError(
      `The digest of ${where} must be 64 lower-case hex digits, got "${input.digest}".`,
    );
  for (const field of ['packageId', 'revision', 'platform'] as const) {
    const value = input[field];
    if (value.length === 0 || value.length > MAX[field])
      throw new InvalidPackageError(
        `The ${field} of ${where} must be 1 to ${MAX[field]} characters, got ${value.length}.`,
      );
  }
  const longId = input.allowedFlashIds?.find((id) => id.length === 0 || id.length > MAX.flashId);
  if (longId !== undefined)
    throw new InvalidPackageError(
      `The flash ids of ${where} must be 1 to ${MAX.flashId} characters, got "${longId}".`,
    );
}
