import { hex } from '../bytes/endian';
import { formatJedec, type JedecId } from '../da/flash-table';
import { FLASH_ADDRESS_MASK, type MemBlock } from '../da/mem';
import { parseCfg, type PackageCfg } from './cfg';
import { GFH_TYPE, parseGfh, type GfhFileInfo } from './gfh';
import { packageError } from './package-error';
import { revisionFromRom } from './revision';

export interface PackageImage {
  name: string;
  gfh: GfhFileInfo;
  data: Uint8Array;
  /** Where the image lives in flash (load address & 0x07FFFFFF). */
  flashOffset: number;
}

export interface FirmwarePackage {
  cfg: PackageCfg;
  /** Main-region images sorted by flash offset: what MEM/WRITE download. */
  images: PackageImage[];
  bootLoaders: PackageImage[];
  revision: string;
}

/** File contents by the name the cfg uses; `undefined` = missing. */
export type PackageFiles = (name: string) => Uint8Array | undefined;

/** Builds a package from the cfg text and its files, checking everything that can be checked. */
export function loadFirmwarePackage(
  cfgText: string,
  files: PackageFiles,
  cfgName = 'package.cfg',
): FirmwarePackage {
  const cfg = parseCfg(cfgText, cfgName);
  const load = (name: string): PackageImage => {
    const data = files(name);
    if (data === undefined)
      throw packageError('INVALID_IMAGE', `${name}: named by ${cfgName} but not found next to it`);
    const gfh = parseGfh(data, name);
    return { name, gfh, data, flashOffset: gfh.loadAddress & FLASH_ADDRESS_MASK };
  };
  const bootLoaders = cfg.bootFiles.map(load);
  const images = cfg.mainFiles.map(load).sort((a, b) => a.flashOffset - b.flashOffset);
  for (let i = 1; i < images.length; i++) {
    const prev = images[i - 1]!;
    const cur = images[i]!;
    if (prev.flashOffset + prev.data.length > cur.flashOffset) {
      throw packageError(
        'INVALID_IMAGE',
        `${prev.name} (${hex(prev.flashOffset, 8)}+${prev.data.length}) overlaps ${cur.name} at ${hex(cur.flashOffset, 8)}`,
      );
    }
  }
  const rom = images.find((image) => image.gfh.fileType === GFH_TYPE.PRIMARY_MAUI);
  if (!rom)
    throw packageError(
      'INVALID_IMAGE',
      `${cfgName}: main_region has no ROM image (GFH type 0x0100)`,
    );
  const revision = revisionFromRom(rom.data);
  if (!revision)
    throw packageError(
      'INVALID_IMAGE',
      `${rom.name}: no build name ending in ".bin" in its first 4 KiB, cannot tell the revision`,
    );
  return { cfg, images, bootLoaders, revision };
}

export function memBlocks(pkg: FirmwarePackage): MemBlock[] {
  return pkg.images.map((image) => ({
    begin: image.flashOffset,
    length: image.data.length,
    type: image.gfh.fileType,
  }));
}

/** True when the cfg lists no flash ids (accept any) or lists this one. */
export function packageAllowsFlash(pkg: FirmwarePackage, id: JedecId): boolean {
  if (pkg.cfg.flashIds.length === 0) return true;
  return pkg.cfg.flashIds.some(
    (f) =>
      f.manufacturer === id.manufacturer &&
      f.memoryType === id.memoryType &&
      f.capacity === id.capacity,
  );
}

export function describePackage(pkg: FirmwarePackage): Record<string, unknown> {
  return {
    platform: pkg.cfg.platform,
    revision: pkg.revision,
    flashIds: pkg.cfg.flashIds.map(formatJedec),
    bootLoaders: pkg.bootLoaders.map((b) => ({
      name: b.name,
      type: hex(b.gfh.fileType),
      loadAddress: hex(b.gfh.loadAddress, 8),
      length: b.data.length,
    })),
    images: pkg.images.map((i) => ({
      name: i.name,
      type: hex(i.gfh.fileType),
      loadAddress: hex(i.gfh.loadAddress, 8),
      flashOffset: hex(i.flashOffset, 8),
      length: i.data.length,
    })),
  };
}
