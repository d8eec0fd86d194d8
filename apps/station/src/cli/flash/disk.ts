// File reading for the CLI: the protocol package is pure, so packages and DA files are read here.
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import {
  FlashError,
  loadFirmwarePackage,
  parseDaFile,
  type DownloadAgent,
  type FirmwarePackage,
} from '@station/mtk';
import { readSplitDa, splitDaFolder } from '../../ports/split-da';

/** How deep below the cfg a `- file:` name may reach (vendors use one sub-folder at most). */
const LISTING_DEPTH = 3;
const LISTING_LIMIT = 5000;

type Kind = 'file' | 'folder' | 'missing';

async function kindOf(path: string): Promise<Kind> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

function missing(
  code: 'INVALID_CFG_FILE' | 'INVALID_DA_FILE',
  message: string,
  hint: string,
): FlashError {
  return new FlashError(code, message, { stage: 'package', engineerHint: hint });
}

export async function readPackage(cfgPath: string): Promise<FirmwarePackage> {
  const kind = await kindOf(cfgPath);
  if (kind === 'missing')
    throw missing(
      'INVALID_CFG_FILE',
      `${cfgPath} does not exist`,
      'Check the --package path: it names the .cfg file that sits beside its images.',
    );
  if (kind === 'folder')
    throw missing(
      'INVALID_CFG_FILE',
      `${cfgPath} is a folder, not a .cfg file`,
      'Give the .cfg file inside the package folder, e.g. --package <folder>/<name>.cfg.',
    );
  let text: string;
  try {
    text = await readFile(cfgPath, 'utf8');
  } catch (error) {
    throw new FlashError(
      'INVALID_CFG_FILE',
      `cannot read ${cfgPath}: ${(error as Error).message}`,
      { stage: 'package', cause: error },
    );
  }
  const dir = dirname(cfgPath);
  const listing = await listFiles(dir);
  const present = new Set(listing);
  // Only listed paths are opened, so a name's spelling is judged by the listing, not by whatever
  // a case-insensitive file system would open.
  const read = (name: string): Uint8Array | undefined =>
    present.has(name) ? readFileSyncSafe(join(dir, ...name.split('/'))) : undefined;
  return loadFirmwarePackage(text, read, basename(cfgPath), { listing });
}

/** Files below `dir` as forward-slash relative paths (bounded in depth and count). */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (out.length >= LISTING_LIMIT) return;
      const path = join(folder, entry.name);
      if (entry.isDirectory() && depth < LISTING_DEPTH) await walk(path, depth + 1);
      else if (entry.isFile()) out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  await walk(dir, 1);
  return out;
}

function readFileSyncSafe(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    return undefined;
  }
}

/**
 * A DA file (raw mt6261_da.bin or MTK_AllInOne_DA.bin), or a folder holding the split parts
 * (INT_SYSRAM, EXT_RAM, NOR_FLASH_TABLE) as MediaTek's Linux uploaders ship them; naming one
 * of the parts means its folder.
 */
export async function readDa(path: string): Promise<DownloadAgent> {
  const kind = await kindOf(path);
  if (kind === 'missing')
    throw missing(
      'INVALID_DA_FILE',
      `${path} does not exist`,
      'Check the --da path: a DA file (mt6261_da.bin, MTK_AllInOne_DA.bin) or a folder with INT_SYSRAM, EXT_RAM and NOR_FLASH_TABLE.',
    );
  const folder = splitDaFolder(path);
  if (folder !== undefined) return readSplitDa(folder);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new FlashError('INVALID_DA_FILE', `cannot read ${path}: ${(error as Error).message}`, {
      stage: 'package',
      cause: error,
    });
  }
  return parseDaFile(bytes, basename(path));
}
