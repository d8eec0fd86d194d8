// An archive's files → a firmware package, checked by packages/mtk exactly as a station checks its
// FIRMWARE_DIR (apps/station/src/jobs/firmware-store.ts): one .cfg, every image it names with a
// sound GFH header, the digest over those files; besides them at most a Download Agent.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import {
  formatJedec,
  GFH_TYPE,
  isFlashError,
  loadFirmwarePackage,
  packageDigest,
  parseCfg,
  parseDaFile,
  type PackageImage,
} from '@station/mtk';
import type { FirmwareFileKind } from '@station/contracts';
import { AppError } from '../errors';
import type { ArchiveFile } from './archive-rules';

/** The archive reads, but is not a package a station could flash; nothing of it is stored. */
export class InvalidPackageError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 422);
  }
}

export interface CheckedFile {
  name: string;
  kind: FirmwareFileKind;
  data: Uint8Array;
  sha256: string;
  loadAddress: bigint | null;
}

export interface CheckedPackage {
  digest: string;
  /** The cfg's base name, as a station folder name would be. */
  name: string;
  revision: string;
  platform: string;
  allowedFlashIds: string[];
  files: CheckedFile[];
}

const KIND_OF_TYPE: Record<number, FirmwareFileKind> = {
  [GFH_TYPE.ARM_BL]: 'bootloader',
  [GFH_TYPE.ARM_EXT_BL]: 'bootloader_ext',
  [GFH_TYPE.PRIMARY_MAUI]: 'rom',
  [GFH_TYPE.VIVA]: 'viva',
};

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** mtk's package errors (INVALID_CFG_FILE, INVALID_IMAGE, INVALID_DA_FILE) keep code and text. */
function mtk<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isFlashError(error)) throw new InvalidPackageError(error.code, error.message);
    throw error;
  }
}

export function checkPackage(archive: ArchiveFile[]): CheckedPackage {
  const paths = archive.map((f) => f.path);
  const twice = paths.find((path, i) => paths.indexOf(path) !== i);
  if (twice !== undefined)
    throw new InvalidPackageError(
      'DUPLICATE_FILE',
      `The archive holds ${twice} twice: which one is the package's is anybody's guess`,
    );
  const cfgs = archive.filter((f) => f.path.toLowerCase().endsWith('.cfg'));
  if (cfgs.length !== 1)
    throw new InvalidPackageError(
      'INVALID_CFG_FILE',
      cfgs.length === 0
        ? 'The archive holds no .cfg file: a package is one .cfg and the images it names'
        : `The archive holds ${cfgs.length} .cfg files (${cfgs.map((f) => f.path).join(', ')}): upload one package per archive`,
    );
  const cfg = cfgs[0]!;
  const folder = posix.dirname(cfg.path);
  const stray = archive.find((f) => posix.dirname(f.path) !== folder);
  if (stray)
    throw new InvalidPackageError(
      'FILE_OUTSIDE_PACKAGE',
      `${stray.path} is not next to ${cfg.path}: the cfg names files in its own folder, so put every file there`,
    );
  const byName = new Map(archive.map((f) => [posix.basename(f.path), f.data]));
  const cfgName = posix.basename(cfg.path);
  const cfgText = new TextDecoder().decode(cfg.data);
  const parsed = mtk(() => parseCfg(cfgText, cfgName));
  const named = new Set([cfgName, ...parsed.bootFiles, ...parsed.mainFiles]);
  const pkg = mtk(() => loadFirmwarePackage(cfgText, (name) => byName.get(name), cfgName));

  const packageFiles = Object.fromEntries([...named].map((name) => [name, byName.get(name)!]));
  const image = (kind: 'boot' | 'main') => (i: PackageImage) =>
    checked(
      i.name,
      KIND_OF_TYPE[i.gfh.fileType] ?? (kind === 'boot' ? 'bootloader' : 'other'),
      i.data,
      BigInt(i.gfh.loadAddress),
    );
  return {
    digest: packageDigest(packageFiles),
    name: folderName(cfgName),
    revision: pkg.revision,
    platform: pkg.cfg.platform,
    allowedFlashIds: pkg.cfg.flashIds.map(formatJedec),
    files: [
      checked(cfgName, 'config', cfg.data, null),
      ...pkg.bootLoaders.map(image('boot')),
      ...pkg.images.map(image('main')),
      ...downloadAgent(
        archive.filter((f) => !named.has(posix.basename(f.path))),
        cfgName,
      ),
    ],
  };
}

const checked = (
  name: string,
  kind: FirmwareFileKind,
  data: Uint8Array,
  loadAddress: bigint | null,
): CheckedFile => ({ name, kind, data, sha256: sha256(data), loadAddress });

/** Whatever the cfg does not name must be one valid Download Agent, or nothing. */
function downloadAgent(rest: ArchiveFile[], cfgName: string): CheckedFile[] {
  if (rest.length > 1)
    throw new InvalidPackageError(
      'UNEXPECTED_FILE',
      `${rest.map((f) => f.path).join(', ')} are not named by ${cfgName}: besides the cfg and its images a package may hold one Download Agent`,
    );
  return rest.map((file) => {
    const name = posix.basename(file.path);
    try {
      parseDaFile(file.data, name);
    } catch (error) {
      if (!isFlashError(error)) throw error;
      throw new InvalidPackageError(
        'UNEXPECTED_FILE',
        `${name} is not named by ${cfgName} and is not a Download Agent (${error.message}): remove it or fix it`,
      );
    }
    return checked(name, 'download_agent', file.data, null);
  });
}

/** A station folder name (StationPackage.packageId) from the cfg's name. */
function folderName(cfgName: string): string {
  const base = cfgName
    .replace(/\.cfg$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return base.slice(0, 128) || 'package';
}
