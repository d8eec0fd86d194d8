import { packageError } from './package-error';

// How a cfg's `- file:` name finds its file (docs/protocol.md "Package: image names").
// MediaTek's own downloader opens `<folder of the cfg>/<name>` exactly as written (cfg_reader.c
// in MediaTek's ext-modem downloader); the Windows Flash Tool does the same on NTFS, which
// ignores letter case. So: a relative name (either slash) under the cfg's folder, letter case
// ignored when the exact spelling is absent, and no guessing of extensions or prefixes.

/** A cfg name in the form the lookup uses: forward slashes, no leading `./`. */
export function normaliseImageName(name: string): string {
  let path = name.trim().replace(/\\/g, '/');
  while (path.startsWith('./')) path = path.slice(2);
  return path;
}

/** Why a cfg name cannot name a file inside the package folder; undefined when it can. */
export function imageNameProblem(name: string): string | undefined {
  const path = normaliseImageName(name);
  if (path === '') return 'is empty';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path))
    return 'is an absolute path: name the file relative to the cfg';
  if (path.split('/').includes('..')) return 'leaves the cfg folder ("..")';
  return undefined;
}

export interface ResolvedImageName {
  /** The name as the cfg wrote it. */
  cfgName: string;
  /** The file that was opened, relative to the cfg's folder. */
  file: string;
  match: 'exact' | 'letter-case';
}

/**
 * Picks the file for a cfg name from the files beside the cfg (relative paths). `exists` says
 * whether the exact spelling exists (a listing may be absent or partial).
 */
export function resolveImageName(
  cfgName: string,
  exists: (path: string) => boolean,
  listing: readonly string[] | undefined,
  cfgFile: string,
): ResolvedImageName {
  const wanted = normaliseImageName(cfgName);
  if (exists(wanted)) return { cfgName, file: wanted, match: 'exact' };
  const files = listing ?? [];
  const sameLetters = files.filter((f) => f.toLowerCase() === wanted.toLowerCase());
  if (sameLetters.length === 1) return { cfgName, file: sameLetters[0]!, match: 'letter-case' };
  if (sameLetters.length > 1)
    throw packageError(
      'INVALID_IMAGE',
      `${cfgName}: named by ${cfgFile}, and ${sameLetters.join(' and ')} differ from it only in letter case: keep one`,
    );
  const near = files.filter((f) => stem(f) === stem(wanted));
  const beside =
    near.length > 0
      ? `; beside the cfg: ${near.join(', ')} (names are matched as written, apart from letter case: rename the file or fix the cfg)`
      : files.length > 0 && files.length <= 12
        ? `; beside the cfg: ${files.join(', ')}`
        : '';
  throw packageError(
    'INVALID_IMAGE',
    `${cfgName}: named by ${cfgFile} but not found next to it${beside}`,
  );
}

/** Base name without directory or extension, lower case: what a near miss shares. */
function stem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
