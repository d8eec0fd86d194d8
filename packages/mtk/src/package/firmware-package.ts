import { hex } from '../bytes/endian';
import { formatJedec, type JedecId } from '../da/flash-table';
import { FLASH_ADDRESS_MASK, type MemBlock } from '../da/mem';
import { parseCfg, type PackageCfg } from './cfg';
import { GFH_TYPE, parseGfh, type GfhFileInfo } from './gfh';
import { resolveImageName } from './image-names';
import { packageError } from './package-error';
import { platformOfBuildName } from './rom-info';
import { readRomRevision, type RevisionRule } from './revision';

export interface PackageImage {
  /** The name the cfg uses. */
  name: string;
  /** The file it was read from, relative to the cfg (differs from `name` in letter case only). */
  file: string;
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
  revisionRule: RevisionRule;
  /** The ROM's build name (MTK_ROMINFO or GFH block), e.g. `..._MT2502_S00.MAUI_….bin`. */
  buildName: string | undefined;
  /** Where cfg.platform came from: the cfg, or the ROM's build name when the cfg left it blank. */
  platformSource: 'cfg' | 'rom';
}

/** File contents by path relative to the cfg (forward slashes); `undefined` = missing. */
export type PackageFiles = (name: string) => Uint8Array | undefined;

export interface PackageLoadOptions {
  /**
   * Every file beside the cfg (relative paths), so a name that differs only in letter case is
   * found as MediaTek's Windows tool finds it; without it names must match exactly.
   */
  listing?: readonly string[];
}

/**
 * Flash offsets below this hold the boot loaders on MT6261-family parts (BL at 0, EXT_BL at
 * 0x3000, MAUI from 0x20000 as every MC60 and RePhone ROM is linked).
 */
export const BOOT_REGION_END = 0x20000;

/** Builds a package from the cfg text and its files, checking everything that can be checked. */
export function loadFirmwarePackage(
  cfgText: string,
  files: PackageFiles,
  cfgName = 'package.cfg',
  options: PackageLoadOptions = {},
): FirmwarePackage {
  const parsed = parseCfg(cfgText, cfgName);
  const read = new Map<string, Uint8Array>();
  const exists = (path: string): boolean => {
    const data = files(path);
    if (data !== undefined) read.set(path, data);
    return data !== undefined;
  };
  const load = (name: string): PackageImage => {
    const { file } = resolveImageName(name, exists, options.listing, cfgName);
    const data = read.get(file) ?? files(file);
    if (data === undefined)
      throw packageError(
        'INVALID_IMAGE',
        `${name}: named by ${cfgName} but ${file} cannot be read`,
      );
    const gfh = parseGfh(data, name);
    return { name, file, gfh, data, flashOffset: gfh.loadAddress & FLASH_ADDRESS_MASK };
  };
  const bootLoaders = parsed.bootFiles.map(load);
  const images = parsed.mainFiles.map(load).sort((a, b) => a.flashOffset - b.flashOffset);
  refuseBootRegionOverlap(images, bootLoaders);
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
  const found = readRomRevision(rom.data);
  if (!found)
    throw packageError(
      'INVALID_IMAGE',
      `${rom.name}: no MTK_ROMINFO block and no build name ending in ".bin" in its first 4 KiB, cannot tell the revision`,
    );
  const romPlatform = found.romInfo?.platform ?? platformFromName(found.buildName);
  if (parsed.platform === '' && romPlatform === undefined)
    throw packageError(
      'INVALID_CFG_FILE',
      `${cfgName}: general.platform is blank and ${rom.name}'s build name "${found.buildName ?? ''}" names no MTxxxx chip: write the chip into the cfg`,
    );
  const cfg = parsed.platform === '' ? { ...parsed, platform: romPlatform! } : parsed;
  return {
    cfg,
    images,
    bootLoaders,
    revision: found.revision,
    revisionRule: found.rule,
    buildName: found.buildName,
    platformSource: parsed.platform === '' ? 'rom' : 'cfg',
  };
}

function platformFromName(buildName: string | undefined): string | undefined {
  return buildName === undefined ? undefined : platformOfBuildName(buildName);
}

/**
 * A main-region image written into the boot loaders' flash would leave the module unbootable
 * (the boot ROM reads BL from offset 0), so it is refused before anything is sent.
 */
function refuseBootRegionOverlap(images: PackageImage[], bootLoaders: PackageImage[]): void {
  // ARM_BL sits at flash 0 whatever its (SRAM) load address says; EXT_BL where its address says.
  const bootEnd = Math.max(
    BOOT_REGION_END,
    ...bootLoaders.map(
      (b) => (b.gfh.fileType === GFH_TYPE.ARM_BL ? 0 : b.flashOffset) + b.data.length,
    ),
  );
  const intruder = images.find((image) => image.flashOffset < bootEnd);
  if (intruder)
    throw packageError(
      'INVALID_IMAGE',
      `${intruder.name} (${hex(intruder.flashOffset, 8)}+${intruder.data.length}) lies in the boot-loader region below ${hex(bootEnd, 8)}: a main-region image written there would leave the module unbootable`,
    );
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
    platformSource: pkg.platformSource,
    revision: pkg.revision,
    revisionRule: pkg.revisionRule,
    buildName: pkg.buildName,
    flashIds: pkg.cfg.flashIds.map(formatJedec),
    bootLoaders: pkg.bootLoaders.map((b) => ({
      name: b.name,
      file: b.file,
      type: hex(b.gfh.fileType),
      loadAddress: hex(b.gfh.loadAddress, 8),
      length: b.data.length,
    })),
    images: pkg.images.map((i) => ({
      name: i.name,
      file: i.file,
      type: hex(i.gfh.fileType),
      loadAddress: hex(i.gfh.loadAddress, 8),
      flashOffset: hex(i.flashOffset, 8),
      length: i.data.length,
    })),
  };
}
