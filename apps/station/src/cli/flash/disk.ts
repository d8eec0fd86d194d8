// File reading for the CLI: the protocol package is pure, so packages and DA files are read here.
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  FlashError,
  loadFirmwarePackage,
  parseDaFile,
  type DownloadAgent,
  type FirmwarePackage,
} from '@station/mtk';

export async function readPackage(cfgPath: string): Promise<FirmwarePackage> {
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
  const files = (name: string): Uint8Array | undefined => {
    const path = join(dir, name);
    return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
  };
  return loadFirmwarePackage(text, files, basename(cfgPath));
}

export async function readDa(path: string): Promise<DownloadAgent> {
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
