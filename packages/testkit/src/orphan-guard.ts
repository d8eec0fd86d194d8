// Last-resort clean-up for what a test starts in its own process group (apps, Postgres, Redis):
// a tiny shell holds a pipe from this test process and, when the pipe closes because this process
// died without cleaning up (a crash, a SIGKILL, a hung worker torn down), SIGKILLs the group and
// removes its directory. Released normally once the group is gone, so it then does nothing.
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

// dash's kill takes a group as "-KILL -<pgid>" (it rejects "--").
const GUARD_SCRIPT = 'read -r _; kill -KILL -"$1" 2>/dev/null; [ -z "$2" ] || rm -rf -- "$2"';

export interface OrphanGuard {
  release(): void;
}

export function guardGroup(pgid: number, dir?: string): OrphanGuard {
  const guard = spawn('sh', ['-c', GUARD_SCRIPT, 'testkit-guard', String(pgid), dir ?? ''], {
    stdio: ['pipe', 'ignore', 'ignore'],
    // Its own group: a Ctrl-C meant for the test run must not stop the guard before it acts.
    detached: true,
  });
  guard.on('error', () => {}); // no sh: nothing to guard with, the normal clean-up still runs
  // The guard must not keep the test process alive.
  guard.unref();
  (guard.stdin as Socket | null)?.unref();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      guard.kill('SIGKILL');
    },
  };
}
