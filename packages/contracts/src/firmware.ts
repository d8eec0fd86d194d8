import { z } from 'zod';
import { StationId } from './stations';

/** The multipart field `POST /api/firmware-packages` reads the archive from. */
export const FIRMWARE_UPLOAD_FIELD = 'file';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

/** What a file of a package is: the cfg, an image by its GFH type, or the Download Agent. */
export const FirmwareFileKind = z.enum([
  'config',
  'bootloader',
  'bootloader_ext',
  'rom',
  'viva',
  'other',
  'download_agent',
]);
export type FirmwareFileKind = z.infer<typeof FirmwareFileKind>;

export const FirmwareFileInfo = z.object({
  /** The name the cfg uses (the DA keeps its name in the archive). */
  name: z.string(),
  kind: FirmwareFileKind,
  sha256: Sha256,
  sizeBytes: z.number().int().min(0),
});
export type FirmwareFileInfo = z.infer<typeof FirmwareFileInfo>;

/** Where a package is active: a station, or the whole line (`stationId` null). */
export const FirmwareActiveScope = z.object({
  stationId: StationId.nullable(),
  activatedAt: z.iso.datetime(),
});
export type FirmwareActiveScope = z.infer<typeof FirmwareActiveScope>;

/**
 * One package of the registry: uploaded (`stored`: the server holds every file) or only announced
 * by a station (`stored` false, no files). Immutable once stored.
 */
export const FirmwarePackageResponse = z.object({
  id: z.uuid(),
  /** packageDigest over the .cfg and the images it names: the package's identity. */
  digest: Sha256,
  /** The name a job carries: the station's folder name, or the uploaded cfg's base name. */
  name: z.string(),
  revision: z.string(),
  platform: z.string(),
  allowedFlashIds: z.array(z.string()),
  files: z.array(FirmwareFileInfo),
  stored: z.boolean(),
  uploadedBy: z
    .object({ id: z.string(), username: z.string(), displayName: z.string() })
    .nullable(),
  createdAt: z.iso.datetime(),
  /** Scopes whose current activation is this package. */
  activeOn: z.array(FirmwareActiveScope),
});
export type FirmwarePackageResponse = z.infer<typeof FirmwarePackageResponse>;

/** `GET /api/firmware-packages`: newest first. */
export const FirmwarePackageListResponse = z.object({ packages: z.array(FirmwarePackageResponse) });
export type FirmwarePackageListResponse = z.infer<typeof FirmwarePackageListResponse>;

export const FirmwarePackageParams = z.object({ id: z.uuid('must be a package id (a UUID)') });
export type FirmwarePackageParams = z.infer<typeof FirmwarePackageParams>;

export const FirmwareFileParams = FirmwarePackageParams.extend({
  fileName: z.string().min(1).max(255),
});
export type FirmwareFileParams = z.infer<typeof FirmwareFileParams>;

/** `POST /api/firmware-packages/:id/activate`: a station, or the whole line when absent. */
export const ActivateFirmwareRequest = z.object({ stationId: StationId.optional() }).strict();
export type ActivateFirmwareRequest = z.infer<typeof ActivateFirmwareRequest>;

export const ActivateFirmwareResponse = z.object({
  packageId: z.uuid(),
  stationId: StationId.nullable(),
  activatedAt: z.iso.datetime(),
  /** The package that was active in this scope before (null: none). */
  previousPackageId: z.uuid().nullable(),
});
export type ActivateFirmwareResponse = z.infer<typeof ActivateFirmwareResponse>;
