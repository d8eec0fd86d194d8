import type { AppProcess, RunningProcess } from '@station/testkit';

/**
 * SIGTERM first, as a line PC shuts down (an app that ignores it fails the clean-up), then kills
 * whatever it left in its process group and drops its orphan guard (an app also its folders).
 */
export async function stopAndRelease(proc: RunningProcess | AppProcess): Promise<void> {
  try {
    await proc.stop();
  } finally {
    await ('release' in proc ? proc.release() : proc.dispose());
  }
}
