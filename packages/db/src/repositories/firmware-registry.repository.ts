// Uploaded firmware packages: the row of a digest gains its files (stored as blobs by the server)
// once, and never changes after. A package a station announced before keeps its row and name.
import type { FirmwareFileKind, Prisma } from '../generated/prisma/client';
import { runTransaction } from './transaction';
import type { PrismaClientOrTransaction } from './types';

export interface UploadedFileInput {
  fileName: string;
  kind: FirmwareFileKind;
  sha256: string;
  sizeBytes: number;
  /** GFH load address of an image. */
  loadAddress?: bigint | null;
}

export interface RecordUploadInput {
  digest: string;
  /** Used only when no station announced this digest before. */
  name: string;
  revision: string;
  platform: string;
  allowedFlashIds: string[];
  files: UploadedFileInput[];
  uploadedById: string | null;
}

const withDetail = {
  files: { orderBy: { fileName: 'asc' } },
  uploadedBy: { select: { id: true, username: true, displayName: true } },
} as const satisfies Prisma.FirmwarePackageInclude;

export type FirmwarePackageDetail = Prisma.FirmwarePackageGetPayload<{
  include: typeof withDetail;
}>;

export const firmwareRegistryRepository = {
  /**
   * Records an upload of `input.digest`: creates the row (or takes the one a station announced)
   * and adds its files, unless an earlier upload stored them already. `stored` says whether this
   * call did; either way the package is returned as it is now. Race-safe: the first of two
   * concurrent uploads claims the row (stored_at IS NULL → now), the other finds it stored.
   */
  async recordUpload(
    db: PrismaClientOrTransaction,
    input: RecordUploadInput,
  ): Promise<{ package: FirmwarePackageDetail; stored: boolean }> {
    return runTransaction(db, async (tx) => {
      await tx.firmwarePackage.createMany({
        data: [
          {
            digest: input.digest,
            name: input.name,
            revision: input.revision,
            platform: input.platform,
            allowedFlashIds: input.allowedFlashIds,
          },
        ],
        skipDuplicates: true,
      });
      const claimed = await tx.firmwarePackage.updateMany({
        where: { digest: input.digest, storedAt: null },
        data: { storedAt: new Date(), uploadedById: input.uploadedById },
      });
      const row = await tx.firmwarePackage.findUniqueOrThrow({ where: { digest: input.digest } });
      const stored = claimed.count === 1;
      if (stored) {
        await tx.firmwareFile.createMany({
          data: input.files.map((file) => ({ ...file, packageId: row.id })),
        });
        // An announcement without flash ids left the list empty; the cfg has them.
        if (row.allowedFlashIds.length === 0 && input.allowedFlashIds.length > 0) {
          await tx.firmwarePackage.update({
            where: { id: row.id },
            data: { allowedFlashIds: input.allowedFlashIds },
          });
        }
      }
      const detail = await tx.firmwarePackage.findUniqueOrThrow({
        where: { id: row.id },
        include: withDetail,
      });
      return { package: detail, stored };
    });
  },

  async findById(db: PrismaClientOrTransaction, id: string): Promise<FirmwarePackageDetail | null> {
    return db.firmwarePackage.findUnique({ where: { id }, include: withDetail });
  },

  /** Newest first: uploaded and announced packages alike. */
  async list(db: PrismaClientOrTransaction, limit = 200): Promise<FirmwarePackageDetail[]> {
    return db.firmwarePackage.findMany({
      include: withDetail,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  },
};
