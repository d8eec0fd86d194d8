// Firmware packages on the station's disk: FIRMWARE_DIR/<packageId>/ holds one .cfg and the images
// it names; DA_FILE is the download agent. The protocol package is pure, so files are read here.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  SPLIT_DA,
  FlashError,
  formatJedec,
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  packageDigest,
  parseCfg,
  parseDaFile,
  type DownloadAgent,
  type FirmwarePackage,
} from '@station/mtk';
import type { StationPackage as AnnouncedPackage } from '@station/contracts';
import { readSplitDa, splitDaFolder } from '../ports/split-da';
import type { Loaded } from './loaded-file-cache';

export interface StationPackage {
  pkg: FirmwarePackage;
  /** packageDigest over the .cfg and the images it names: what FlashRunPayload.packageSha256 is. */
  digest: string;
}

const PACKAGE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const fail = (code: 'INVALID_CFG_FILE' | 'INVALID_DA_FILE', message: string, cause?: unknown) =>
  new FlashError(code, message, { stage: 'package', cause });

const readIfPresent = async (path: string): Promise<Uint8Array | undefined> => {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/** Reads and checks `<firmwareDir>/<packageId>/`; every problem is a package-stage FlashError. */
export async function readStationPackage(
  firmwareDir: string,
  packageId: string,
): Promise<StationPackage> {
  return (await loadStationPackage(firmwareDir, packageId)).value;
}

/** readStationPackage, with the folder and files it was read from (for LoadedFileCache). */
export async function loadStationPackage(
  firmwareDir: string,
  packageId: string,
): Promise<Loaded<StationPackage>> {
  if (!PACKAGE_ID.test(packageId))
    throw fail('INVALID_CFG_FILE', `packageId "${packageId}" is not a package folder name`);
  const dir = join(firmwareDir, packageId);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw fail(
      'INVALID_CFG_FILE',
      `package ${packageId} is not on this station: cannot read ${dir} (${(error as Error).message})`,
      error,
    );
  }
  const cfgs = names.filter((name) => name.toLowerCase().endsWith('.cfg'));
  if (cfgs.length !== 1)
    throw fail(
      'INVALID_CFG_FILE',
      `${dir} must hold exactly one .cfg, found ${cfgs.length === 0 ? 'none' : cfgs.join(', ')}`,
    );
  const cfgName = cfgs[0]!;
  const cfgBytes = new Uint8Array(await readFile(join(dir, cfgName)));
  const cfgText = new TextDecoder().decode(cfgBytes);
  const cfg = parseCfg(cfgText, cfgName);
  const files: Record<string, Uint8Array> = { [cfgName]: cfgBytes };
  for (const name of [...cfg.bootFiles, ...cfg.mainFiles]) {
    const data = await readIfPresent(join(dir, name));
    if (data) files[name] = data;
  }
  // A missing image is reported by loadFirmwarePackage, naming the file and the cfg.
  const pkg = loadFirmwarePackage(cfgText, (name) => files[name], cfgName);
  return {
    value: { pkg, digest: packageDigest(files) },
    paths: [dir, ...Object.keys(files).map((name) => join(dir, name))],
  };
}

export async function readStationDa(daFile: string): Promise<DownloadAgent> {
  return (await loadStationDa(daFile)).value;
}

/** readStationDa, with the files it was read from (for LoadedFileCache). */
export async function loadStationDa(daFile: string): Promise<Loaded<DownloadAgent>> {
  // DA_FILE may also name a split DA folder (or one of its parts), as the bench CLI's --da may.
  const folder = splitDaFolder(daFile);
  if (folder !== undefined) {
    // The folder too: a part added or removed changes its mtime.
    const parts = SPLIT_DA.parts.map((part) => join(folder, part)).filter((p) => existsSync(p));
    const paths = [folder, ...parts];
    return { value: readSplitDa(folder), paths };
  }
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readIfPresent(daFile);
  } catch (error) {
    throw fail('INVALID_DA_FILE', `cannot read DA_FILE ${daFile}: ${(error as Error).message}`);
  }
  if (!bytes) throw fail('INVALID_DA_FILE', `DA_FILE ${daFile} does not exist on this station`);
  return { value: parseDaFile(bytes, daFile), paths: [daFile] };
}

/**
 * Every readable package under FIRMWARE_DIR, as the agent announces them when it registers.
 * A folder that is not a valid package is reported through `onSkip` and left out.
 */
export async function listStationPackages(
  firmwareDir: string,
  onSkip: (packageId: string, error: unknown) => void,
): Promise<AnnouncedPackage[]> {
  const entries = await readdir(firmwareDir, { withFileTypes: true }).catch(() => []);
  const announced: AnnouncedPackage[] = [];
  for (const entry of entries
    // `.incoming-*`: a registry download in progress or cut short (registry-fetch.ts).
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name))) {
    try {
      const { pkg, digest } = await readStationPackage(firmwareDir, entry.name);
      announced.push({
        packageId: entry.name,
        digest,
        revision: pkg.revision,
        platform: pkg.cfg.platform,
        allowedFlashIds: pkg.cfg.flashIds.map(formatJedec),
      });
    } catch (error) {
      onSkip(entry.name, error);
    }
  }
  return announced;
}

export const DEMO_REVISION = 'MC60CAR01A13';
export const DEMO_PACKAGE_ID = `demo-${DEMO_REVISION}`;

/**
 * Emulator mode: writes the synthetic demo package and a synthetic DA where they are missing
 * (never over existing files), and returns the demo package's id and digest for producers.
 */
export async function ensureDemoFirmware(
  firmwareDir: string,
  daFile: string,
): Promise<{ packageId: string; digest: string }> {
  const dir = join(firmwareDir, DEMO_PACKAGE_ID);
  const existing = await readdir(dir).catch(() => []);
  if (existing.length === 0) {
    const demo = makeSyntheticPackage({ revision: DEMO_REVISION });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, demo.cfgName), demo.cfgText);
    for (const [name, data] of Object.entries(demo.files)) await writeFile(join(dir, name), data);
  }
  if (!(await readIfPresent(daFile))) {
    await mkdir(dirname(daFile), { recursive: true });
    await writeFile(daFile, makeSyntheticDa());
  }
  const { digest } = await readStationPackage(firmwareDir, DEMO_PACKAGE_ID);
  return { packageId: DEMO_PACKAGE_ID, digest };
}
