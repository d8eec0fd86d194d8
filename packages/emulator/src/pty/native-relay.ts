// Builds the C relay hub (relay-hub-source.ts) once per machine and source version, with the
// system's C compiler, into the temp folder; every jig process after that reuses the binary. No
// compiler (a slim image) or a failed build: no binary, the reason why, and the perl relay serves
// as before (the jig says so once: a bench on the perl relay measures a slower rig).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, constants, lstat, mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RELAY_HUB_C_SOURCE } from './relay-hub-source';

const BUILD_TIMEOUT_MS = 60_000;

/** The compiled relay's path, or why there is none. */
export type NativeRelay = { binary: string } | { binary: null; reason: string };

let built: Promise<NativeRelay> | undefined;

/** The compiled relay (built once per process at most), or why the perl relay serves instead. */
export function nativeRelay(): Promise<NativeRelay> {
  const folder = join(tmpdir(), `flashstation-relay-${process.getuid?.() ?? 'user'}`);
  built ??= privateDir(folder).then((dir) =>
    dir
      ? buildNativeRelay('cc', dir)
      : { binary: null, reason: `${folder} is not a folder of this user's with mode 0700` },
  );
  return built;
}

/**
 * `path` as a folder only this user can write, or null: the temp folder is shared, and a binary
 * someone else placed there must never be run as the relay.
 */
export async function privateDir(path: string): Promise<string | null> {
  await mkdir(path, { recursive: true, mode: 0o700 }).catch(() => undefined);
  const info = await lstat(path).catch(() => null);
  if (!info?.isDirectory() || (info.mode & 0o077) !== 0) return null;
  return process.getuid && info.uid !== process.getuid() ? null : path;
}

/** Builds the relay into `dir` unless this source version is there already. */
export async function buildNativeRelay(compiler: string, dir: string): Promise<NativeRelay> {
  const version = createHash('sha256').update(RELAY_HUB_C_SOURCE).digest('hex').slice(0, 16);
  const binary = join(dir, `flashstation-pty-relay-hub-${version}`);
  try {
    await access(binary, constants.X_OK);
    return { binary };
  } catch {
    // Not built yet on this machine.
  }
  // Built under a name of its own and renamed: jig processes starting together never run a
  // half-written binary.
  const partial = `${binary}.${process.pid}.partial`;
  try {
    await new Promise<void>((resolve, reject) => {
      const cc = execFile(
        compiler,
        ['-O2', '-x', 'c', '-', '-o', partial, '-lm'],
        { timeout: BUILD_TIMEOUT_MS },
        (error) => (error ? reject(error) : resolve()),
      );
      cc.stdin!.on('error', () => undefined);
      cc.stdin!.end(RELAY_HUB_C_SOURCE);
    });
    await rename(partial, binary);
    return { binary };
  } catch (error) {
    await rm(partial, { force: true });
    const message = error instanceof Error ? error.message : String(error);
    return { binary: null, reason: `${compiler} could not build it: ${message.split('\n')[0]}` };
  }
}
