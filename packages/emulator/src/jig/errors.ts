// Errors a virtual jig reports (kept apart so the jig, its slots and its lock share them
// without an import cycle).

export class JigError extends Error {
  override name = 'JigError';
}

/** Who holds a jig folder: written into `<dir>/jig.lock` by the running jig. */
export interface JigLockHolder {
  pid: number;
  /** Linux boot id when the holder started (a lock from before a reboot is stale). */
  bootId: string | null;
  /** The holder's start time in clock ticks since boot (/proc/<pid>/stat), against pid reuse. */
  startTicks: number | null;
  startedAt: string;
}

/** The folder is held by a jig that is still running. */
export class JigBusyError extends JigError {
  override name = 'JigBusyError';
  constructor(
    readonly dir: string,
    readonly holder: JigLockHolder,
  ) {
    super(
      `jig folder ${dir} is in use by a running virtual jig (pid ${holder.pid}, since ${holder.startedAt}): stop that jig or use another folder`,
    );
  }
}
