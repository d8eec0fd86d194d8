// One running jig per folder. A second jig on the same folder would unlink the first one's control
// socket and replace its slot links under a station that is flashing through them, so a jig
// holds `<dir>/jig.lock` (its pid, boot id and start time) while it runs. A lock whose holder is
// gone (killed, or from before a reboot, or a reused pid) is stale and is taken over.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JigBusyError, JigError, type JigLockHolder } from './errors';

export const JIG_LOCK_FILE = 'jig.lock';

export interface JigLockTakeover {
  path: string;
  /** The dead holder, or null when the lock could not be read. */
  holder: JigLockHolder | null;
  /** Why the holder counts as gone, for the log line. */
  reason: string;
}

export interface JigLock {
  readonly path: string;
  /** Removes the lock if it is still ours. */
  release(): Promise<void>;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // not Linux, or the process is gone
  }
}

function bootId(): string | null {
  return readOrNull('/proc/sys/kernel/random/boot_id')?.trim() ?? null;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function startTicks(pid: number): number | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : null;
}

function parseHolder(text: string): JigLockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<JigLockHolder>;
    if (!Number.isInteger(value.pid) || (value.pid ?? 0) <= 0) return null;
    return {
      pid: value.pid!,
      bootId: typeof value.bootId === 'string' ? value.bootId : null,
      startTicks: typeof value.startTicks === 'number' ? value.startTicks : null,
      startedAt: typeof value.startedAt === 'string' ? value.startedAt : 'unknown',
    };
  } catch {
    return null;
  }
}

/** Why `holder` no longer holds its lock, or null while it is running. */
export function staleReason(holder: JigLockHolder): string | null {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user, so it is alive.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      return `pid ${holder.pid} is no longer running`;
    }
  }
  const boot = bootId();
  if (holder.bootId && boot && holder.bootId !== boot) {
    return `pid ${holder.pid} ran before the last reboot`;
  }
  const ticks = startTicks(holder.pid);
  if (holder.startTicks !== null && ticks !== null && ticks !== holder.startTicks) {
    return `pid ${holder.pid} now belongs to another process`;
  }
  return null;
}

const isCode = (error: unknown, code: string) =>
  (error as NodeJS.ErrnoException | null)?.code === code;

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

/**
 * Takes `<dir>/jig.lock` for this process, or throws JigBusyError naming the folder and the
 * running holder's pid. The lock appears whole (written aside, then hard-linked into place, which
 * fails if one exists), so a reader never sees a half-written one.
 */
export async function acquireJigLock(
  dir: string,
  onTakeover: (takeover: JigLockTakeover) => void,
): Promise<JigLock> {
  const path = join(dir, JIG_LOCK_FILE);
  const mine = `${JSON.stringify({
    pid: process.pid,
    bootId: bootId(),
    startTicks: startTicks(process.pid),
    startedAt: new Date().toISOString(),
  } satisfies JigLockHolder)}\n`;
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const draft = join(dir, `.${JIG_LOCK_FILE}.${tag}`);
  await writeFile(draft, mine, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(draft, path);
        return {
          path,
          async release() {
            if ((await readIfPresent(path)) === mine) await unlink(path).catch(() => {});
          },
        };
      } catch (error) {
        if (!isCode(error, 'EEXIST')) throw error;
      }
      const text = await readIfPresent(path);
      if (text === null) continue; // released in the meantime
      const holder = parseHolder(text);
      const reason = holder ? staleReason(holder) : 'the lock file is unreadable';
      if (holder && reason === null) throw new JigBusyError(dir, holder);
      // Move the stale lock aside, then make sure what moved is the one judged stale: a jig that
      // took it over first must get its lock back.
      const aside = join(dir, `.${JIG_LOCK_FILE}.stale.${tag}`);
      try {
        await rename(path, aside);
      } catch (error) {
        if (isCode(error, 'ENOENT')) continue;
        throw error;
      }
      if ((await readFile(aside, 'utf8')) !== text) await link(aside, path).catch(() => {});
      else onTakeover({ path, holder, reason: reason! });
      await unlink(aside);
    }
    throw new JigError(`could not take ${path}: other jigs keep starting on ${dir}`);
  } finally {
    await unlink(draft).catch(() => {});
  }
}
