// A temporary directory per test, removed afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  /** `path` joined with `parts`. */
  join(...parts: string[]): string;
  dispose(): Promise<void>;
}

/** A new directory `<tmp>/<label>-XXXXXX`. */
export async function tempDir(label: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `${label}-`));
  return {
    path,
    join: (...parts) => join(path, ...parts),
    dispose: () => rm(path, { recursive: true, force: true }),
  };
}
