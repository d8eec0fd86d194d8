// Keeps what was parsed and verified from files (a firmware package, the DA) while those files
// stay as they were, so a job does not re-read and re-hash megabytes on the event loop (#12 §5).
// "As they were" = same device, inode, size, mtime and ctime (ns) for every file and folder the
// load read; a stat of each is all a hit costs.
import { stat } from 'node:fs/promises';

/** A file changed this close to the load may have changed during it: not cached (git's "racy"). */
export const RACY_WINDOW_MS = 2000;

export interface Loaded<T> {
  value: T;
  /** Every path the value was read from (a folder too, so an added or removed file counts). */
  paths: string[];
}

interface Entry<T> {
  value: T;
  paths: string[];
  fingerprint: string;
}

export class LoadedFileCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  hits = 0;
  misses = 0;

  constructor(private readonly racyWindowMs = RACY_WINDOW_MS) {}

  /** The cached value for `key` if its files are unchanged, else `load()`'s (cached when safe). */
  async get(key: string, load: () => Promise<Loaded<T>>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && (await fingerprint(entry.paths)) === entry.fingerprint) {
      this.hits += 1;
      return entry.value;
    }
    this.entries.delete(key);
    this.misses += 1;
    const startedAt = Date.now();
    const loaded = await load();
    const now = await fingerprint(loaded.paths, startedAt - this.racyWindowMs);
    if (now !== undefined) this.entries.set(key, { ...loaded, fingerprint: now });
    return loaded.value;
  }
}

/**
 * One line per path: dev, inode, size, mtime and ctime in ns. Undefined when a path is gone, or
 * (with `settledBefore`) changed at or after that time, so it may still be being written.
 */
async function fingerprint(paths: string[], settledBefore?: number): Promise<string | undefined> {
  const lines: string[] = [];
  for (const path of paths) {
    const s = await stat(path, { bigint: true }).catch(() => undefined);
    if (!s) return undefined;
    if (settledBefore !== undefined && Number(s.ctimeNs / 1_000_000n) >= settledBefore)
      return undefined;
    lines.push(`${path} ${s.dev} ${s.ino} ${s.size} ${s.mtimeNs} ${s.ctimeNs}`);
  }
  return lines.join('\n');
}
