// A split Download Agent on disk (docs/protocol.md "DA files"): the folder MediaTek's Linux
// uploaders ship, Download_Agent/6261/ with INT_SYSRAM, EXT_RAM and NOR_FLASH_TABLE. Used by the
// bench CLI (--da) and the agent (DA_FILE) alike.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseSplitDa, SPLIT_DA, type DownloadAgent, type SplitDaPart } from '@station/mtk';

/** The split-DA folder `path` means (the folder itself or one of its parts), else undefined. */
export function splitDaFolder(path: string): string | undefined {
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    return undefined;
  }
  if (isFolder) return path;
  return (SPLIT_DA.parts as readonly string[]).includes(basename(path)) ? dirname(path) : undefined;
}

/** Reads the parts present; parseSplitDa names any that is missing, empty or damaged. */
export function readSplitDa(folder: string): DownloadAgent {
  const parts: Partial<Record<SplitDaPart, Uint8Array>> = {};
  for (const part of SPLIT_DA.parts) {
    try {
      parts[part] = new Uint8Array(readFileSync(join(folder, part)));
    } catch {
      // absent or unreadable: reported by name below
    }
  }
  return parseSplitDa(parts, folder);
}
