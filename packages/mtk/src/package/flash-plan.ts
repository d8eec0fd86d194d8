// What one flash writes and erases, decided from the package and the job's options before any
// byte is sent (pure: no I/O). docs/protocol.md §9 "Full flow".
import { hex } from '../bytes/endian';
import { blInfoAttribute, type BootLoaderImage } from '../da/boot-loader';
import { formatJedec, type JedecId } from '../da/flash-table';
import type { MemBlock } from '../da/mem';
import { memBlocks, type FirmwarePackage, type PackageImage } from './firmware-package';
import { packageError } from './package-error';

/**
 * `firmware-upgrade`: erase and write only what the package brings (MEM pre-format of the images'
 * own ranges); NVRAM and the file system, which live in the flash the images do not cover, stay.
 * `format-all`: FORMAT the whole part first, then download everything, boot loaders included.
 * MediaTek's downloader never formats outside the images unless told to (`download_images.c`:
 * the whole-flash `da_FormatFlash` is commented out), so the default is `firmware-upgrade`.
 */
export const FLASH_MODES = ['firmware-upgrade', 'format-all'] as const;
export type FlashMode = (typeof FLASH_MODES)[number];
export const DEFAULT_FLASH_MODE: FlashMode = 'firmware-upgrade';

export interface FlashPlanOptions {
  mode?: FlashMode;
  /**
   * Write the package's boot loaders (FORMAT_CBR, FORMAT_HB + DOWNLOAD_BLOADER, GET_CBR), as
   * MediaTek's flow does. Default: only for `format-all`, which erases them and must put them back.
   */
  bootLoaders?: boolean;
}

export interface FlashPlan {
  mode: FlashMode;
  /** FORMAT (D4) of the whole part before anything is written. */
  formatAll: boolean;
  /** FORMAT_CBR before the boot loaders and GET_CBR after them (MediaTek's order). */
  cbr: boolean;
  bootLoaders: BootLoaderImage[];
  /** Main-region images, MEM order. */
  blocks: MemBlock[];
  /** Where the last byte of anything written ends (exclusive): must fit the flash part. */
  end: number;
}

/** Builds the plan; refuses (before any byte is sent) what cannot work, with an engineer's hint. */
export function planFlash(pkg: FirmwarePackage, options: FlashPlanOptions = {}): FlashPlan {
  const mode = options.mode ?? DEFAULT_FLASH_MODE;
  if (!(FLASH_MODES as readonly string[]).includes(mode))
    throw new RangeError(`flash mode "${String(mode)}": use ${FLASH_MODES.join(' or ')}`);
  const formatAll = mode === 'format-all';
  const wantBootLoaders = options.bootLoaders ?? formatAll;
  if (formatAll && !wantBootLoaders)
    throw packageError(
      'INVALID_IMAGE',
      'format-all erases the boot loaders, so it must write them back: leave boot loaders on, or use firmware-upgrade',
    );
  if (wantBootLoaders && pkg.bootLoaders.length === 0)
    throw packageError(
      'INVALID_IMAGE',
      `${pkg.cfg.platform} package lists no boot_region files: ${formatAll ? 'format-all would leave the module without a boot loader; use firmware-upgrade' : 'turn boot loaders off or add them to the cfg'}`,
    );
  const bootLoaders = wantBootLoaders ? pkg.bootLoaders.map(bootLoaderImage) : [];
  const blocks = memBlocks(pkg);
  const last = blocks[blocks.length - 1]!;
  const end = last.begin + last.length;
  const plan: FlashPlan = {
    mode,
    formatAll,
    cbr: bootLoaders.length > 0,
    bootLoaders,
    blocks,
    end,
  };
  refuseBeyondListedParts(pkg, plan);
  return plan;
}

function bootLoaderImage(image: PackageImage): BootLoaderImage {
  const blAttr = blInfoAttribute(image.data);
  // MediaTek's host stops with 801 when the first ten GFH blocks hold no BL_INFO.
  if (blAttr === undefined)
    throw packageError(
      'INVALID_IMAGE',
      `${image.name}: no GFH BL_INFO block in its first ten GFH blocks, so the DA cannot be told its attributes (MediaTek's downloader refuses it too): use the boot loader of the same firmware release`,
    );
  return {
    name: image.name,
    data: image.data,
    fileType: image.gfh.fileType,
    loadAddress: image.gfh.loadAddress,
    fileLength: image.gfh.fileLength,
    maxSize: image.gfh.maxSize,
    contentOffset: image.gfh.contentOffset,
    fileInfoAttr: image.gfh.attributes,
    blAttr,
  };
}

/**
 * Bytes of a serial-flash part from its JEDEC capacity byte: 2^c for the common 0x10–0x1F codes
 * (GD25LQ32 C8 60 16 = 4 MiB, W25Q128 EF 60 18 = 16 MiB), 2^(c − 0x20) for Macronix's 1.8 V
 * MX25U codes 0x32–0x3F (MX25U3235F C2 25 36 = 4 MiB, MX25U12835F C2 25 38 = 16 MiB); undefined
 * for codes no datasheet here explains.
 */
export function partSizeOf(id: JedecId): number | undefined {
  const c = id.capacity;
  if (c >= 0x10 && c <= 0x1f) return 2 ** c;
  if (c >= 0x32 && c <= 0x3f) return 2 ** (c - 0x20);
  return undefined;
}

/**
 * The part the module carries, as the package's external_memory entry for the detected id says,
 * else as the DA reports it; the smaller when both are known (an image must fit both).
 */
export function flashLimit(pkg: FirmwarePackage, detected: JedecId, reportedSize: number): number {
  const listed = pkg.cfg.flashIds.find(
    (f) =>
      f.manufacturer === detected.manufacturer &&
      f.memoryType === detected.memoryType &&
      f.capacity === detected.capacity,
  );
  const fromCfg = listed === undefined ? undefined : partSizeOf(listed);
  return fromCfg === undefined ? reportedSize : Math.min(fromCfg, reportedSize);
}

/** Message for an image that ends beyond a `limit`-byte part, or undefined when everything fits. */
export function beyondPart(plan: FlashPlan, limit: number, part: string): string | undefined {
  if (plan.end <= limit) return undefined;
  const last = plan.blocks[plan.blocks.length - 1]!;
  return `main region ends at ${hex(plan.end, 8)} (image at ${hex(last.begin, 8)}+${last.length}), beyond the ${limit / 1048576} MiB of ${part}: this package is for a larger flash part; check the module variant against the package's external_memory list`;
}

/** When every part the package lists has a known size, the images must fit the largest one. */
function refuseBeyondListedParts(pkg: FirmwarePackage, plan: FlashPlan): void {
  const sizes = pkg.cfg.flashIds.map(partSizeOf);
  if (sizes.length === 0 || sizes.some((s) => s === undefined)) return;
  const largest = Math.max(...(sizes as number[]));
  const problem = beyondPart(
    plan,
    largest,
    `the largest part in external_memory (${pkg.cfg.flashIds.map(formatJedec).join(', ')})`,
  );
  if (problem) throw packageError('INVALID_IMAGE', problem);
}
