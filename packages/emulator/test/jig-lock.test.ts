// One running jig per folder, on real processes: a second jig (another process, or this one) is
// refused while the first runs, naming the folder and the holder's pid; a holder killed with
// SIGKILL leaves a stale lock that the next jig takes over with a log line. Real socat ptys.
import { existsSync } from 'node:fs';
import { readFile, realpath, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  repoRoot,
  startProcess,
  tempDir,
  type RunningProcess,
  type TempDir,
} from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectJigControl,
  createVirtualJig,
  JigBusyError,
  type JigLockTakeover,
  type VirtualJig,
} from '../src/index';

const fixture = fileURLToPath(new URL('./fixtures/hold-jig.ts', import.meta.url));
let dir: TempDir;
const processes: RunningProcess[] = [];
const jigs: VirtualJig[] = [];

/** A jig process on the test's folder, like `flashstation emulate --dir <folder>`. */
function jigProcess(name: string): RunningProcess {
  const proc = startProcess(name, process.execPath, ['--import', 'tsx', fixture, dir.path], {
    cwd: repoRoot,
  });
  processes.push(proc);
  return proc;
}

beforeEach(async () => {
  dir = await tempDir('jig-lock');
});
afterEach(async () => {
  for (const jig of jigs.splice(0)) await jig.close();
  for (const proc of processes.splice(0)) await proc.release();
  await dir.dispose();
});

const lockHolder = async () =>
  JSON.parse(await readFile(dir.join('jig.lock'), 'utf8')) as { pid: number };

describe('jig folder lock', () => {
  it('refuses a second jig while the first runs, naming the folder and the holder pid', async () => {
    const first = jigProcess('first jig');
    await first.waitForLine('ready');
    expect((await lockHolder()).pid).toBe(first.pid);

    const second = jigProcess('second jig');
    expect(await second.waitForExit()).toEqual({ code: 1, signal: null });
    expect(second.stderr().trim()).toMatch(
      new RegExp(
        `^jig folder ${dir.path} is in use by a running virtual jig \\(pid ${first.pid}, since .+\\): stop that jig or use another folder$`,
      ),
    );
    const inProcess = await createVirtualJig({ slots: 1, dir: dir.path }).catch((e: unknown) => e);
    expect(inProcess).toBeInstanceOf(JigBusyError);
    expect((inProcess as JigBusyError).holder.pid).toBe(first.pid);

    // The first jig kept its slot and control socket.
    expect(await realpath(dir.join('slot-01'))).toMatch(/^\/dev\/pts\/\d+$/);
    const control = await connectJigControl(dir.join('control.sock'));
    try {
      expect((await control.status()).map((s) => s.slot)).toEqual([1]);
    } finally {
      control.close();
    }
  });

  it('takes over the lock of a holder killed with SIGKILL, with a log line', async () => {
    const first = jigProcess('first jig');
    await first.waitForLine('ready');
    await first.kill();
    expect((await lockHolder()).pid).toBe(first.pid); // nothing removed it

    const second = jigProcess('second jig');
    await second.waitForLine('ready');
    expect(second.stdout()).toContain(`takeover: pid ${first.pid} is no longer running\n`);
    expect((await lockHolder()).pid).toBe(second.pid);
    expect(await realpath(dir.join('slot-01'))).toMatch(/^\/dev\/pts\/\d+$/);
  });

  it('a holder stopped with SIGTERM releases the lock, so the next start takes nothing over', async () => {
    const first = jigProcess('first jig');
    await first.waitForLine('ready');
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(dir.join('jig.lock'))).toBe(false);
    const second = jigProcess('second jig');
    await second.waitForLine('ready');
    expect(second.stdout()).not.toContain('takeover');
  });

  it('close() releases the folder for the next jig in the same process', async () => {
    const first = await createVirtualJig({ slots: 1, dir: dir.path, pacing: false });
    await expect(createVirtualJig({ slots: 1, dir: dir.path })).rejects.toThrow(
      `(pid ${process.pid}, since`,
    );
    await first.close();
    jigs.push(await createVirtualJig({ slots: 1, dir: dir.path, pacing: false }));
  });

  it.each([
    ['a reused pid', { startTicks: 1 }, `pid ${process.pid} now belongs to another process`],
    [
      'a previous boot',
      { bootId: 'another-boot' },
      `pid ${process.pid} ran before the last reboot`,
    ],
  ])('treats a lock from %s as stale', async (_, fields, reason) => {
    const live = { pid: process.pid, bootId: null, startTicks: null, startedAt: 'then' };
    await writeFile(dir.join('jig.lock'), JSON.stringify({ ...live, ...fields }));
    const takeovers: JigLockTakeover[] = [];
    jigs.push(
      await createVirtualJig({
        slots: 1,
        dir: dir.path,
        pacing: false,
        onLockTakeover: (t) => takeovers.push(t),
      }),
    );
    expect(takeovers).toEqual([
      { path: dir.join('jig.lock'), holder: { ...live, ...fields }, reason },
    ]);
  });

  it('takes over an unreadable lock file, saying so', async () => {
    await writeFile(dir.join('jig.lock'), 'garbage');
    const takeovers: JigLockTakeover[] = [];
    jigs.push(
      await createVirtualJig({
        slots: 1,
        dir: dir.path,
        pacing: false,
        onLockTakeover: (t) => takeovers.push(t),
      }),
    );
    expect(takeovers).toEqual([
      { path: dir.join('jig.lock'), holder: null, reason: 'the lock file is unreadable' },
    ]);
  });
});
