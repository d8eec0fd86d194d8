import type { PrismaClientOrTransaction, FirmwarePackage } from '@station/db';
import type { StationPackage } from '@station/contracts';

/**
 * The schema has no digest column on firmware_packages, so the package's identity digest
 * (`packageDigest` over the cfg and its images) is kept as one `firmware_files` row of kind
 * `other` under this name; its sha256 column is indexed, so a digest can be looked up.
 */
export const DIGEST_FILE_NAME = 'package.digest';

/**
 * Records a package a station announced: one row per (name = packageId, revision). A changed
 * digest under the same name and revision replaces the recorded one (the station re-packed it).
 */
export async function upsertFirmwarePackage(
  db: PrismaClientOrTransaction,
  pkg: StationPackage,
): Promise<FirmwarePackage> {
  const row = await db.firmwarePackage.upsert({
    where: { name_revision: { name: pkg.packageId, revision: pkg.revision } },
    // Flash ids are not announced; an empty list means "not restricted by the registry".
    create: {
      name: pkg.packageId,
      revision: pkg.revision,
      platform: pkg.platform,
      allowedFlashIds: [],
    },
    update: { platform: pkg.platform },
  });
  await db.firmwareFile.upsert({
    where: { packageId_fileName: { packageId: row.id, fileName: DIGEST_FILE_NAME } },
    create: {
      packageId: row.id,
      kind: 'other',
      fileName: DIGEST_FILE_NAME,
      sizeBytes: 0,
      sha256: pkg.digest,
    },
    update: { sha256: pkg.digest },
  });
  return row;
}
