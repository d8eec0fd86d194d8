// startProcess on real processes (sh, sleep, node): lines, deadlines, SIGTERM, SIGKILL of a whole
// group, and the orphan guard that ends a group whose test process died without cleaning up.
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { groupMembers, repoRoot, startProcess, waitFor, type RunningProcess } from '../src/index';

const started: RunningProcess[] = [];
const sh = (script: string, name = 'sh') => {
  const proc = startProcess(name, 'sh', ['-c', script]);
  started.push(proc);
  return proc;
};
afterEach(async () => {
  for (const proc of started.splice(0)) await proc.release();
});

describe('startProcess', () => {
  it('waits for a line on either stream and keeps the streams apart', async () => {
    const proc = sh('echo one; echo two >&2; echo "ready at 5"; sleep 300');
    expect(await proc.waitForLine(/ready at \d/)).toBe('ready at 5');
    await proc.waitForLine('two'); // the streams are read independently: stderr may come later
    expect(proc.stdout()).toBe('one\nready at 5\n');
    expect(proc.stderr()).toBe('two\n');
    expect(proc.lines()).toContain('two');
    const later = proc.lines().length;
    await expect(proc.waitForLine('one', { fromLine: later, timeoutMs: 100 })).rejects.toThrow(
      /timed out after 100 ms waiting for sh to print a line matching one; last output:\none/,
    );
  });

  it('fails a wait at once when the process exits without the line, with its output', async () => {
    const proc = sh('echo "config is bad" >&2; exit 3', 'app');
    await expect(proc.waitForLine('listening')).rejects.toThrow(
      /^app exited \(code 3, signal null\) before printing the expected line:\nconfig is bad/,
    );
    expect(await proc.exited).toEqual({ code: 3, signal: null });
    await expect(proc.waitForLine('listening')).rejects.toThrow(
      /app has already exited \(code 3\)/,
    );
  });

  it('stop() sends SIGTERM to the process and returns how it exited', async () => {
    const proc = sh('trap "echo bye; exit 0" TERM; echo up; while :; do sleep 0.05; done');
    await proc.waitForLine('up');
    expect(await proc.stop()).toEqual({ code: 0, signal: null });
    expect(proc.stdout()).toContain('bye');
  });

  it('stop() kills a process that ignores SIGTERM past the deadline, and says so', async () => {
    const proc = sh('trap "" TERM; echo up; while :; do sleep 0.05; done', 'stubborn');
    await proc.waitForLine('up');
    await expect(proc.stop({ timeoutMs: 300 })).rejects.toThrow(
      /^stubborn did not exit within 300 ms of SIGTERM, so it was killed/,
    );
    expect(proc.hasExited()).toBe(true);
  });

  it('kill() ends the whole group, grandchildren included', async () => {
    const proc = sh('sleep 300 & sleep 300 & echo up; wait');
    await proc.waitForLine('up');
    expect(groupMembers(proc.pid).length).toBe(3);
    expect(await proc.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    await waitFor('the group to be empty', () => groupMembers(proc.pid).length === 0);
  });

  it('names a binary that is not installed', () => {
    expect(() => startProcess('tool', 'no-such-binary-here', [])).toThrow(
      'cannot start tool: no-such-binary-here could not be spawned (is it installed?)',
    );
  });

  it('its orphan guard ends the group when the test process dies without cleaning up', async () => {
    const parent = startProcess(
      'orphan parent',
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./fixtures/orphan-parent.ts', import.meta.url))],
      { cwd: repoRoot },
    );
    started.push(parent);
    const sleeperGroup = Number(await parent.waitForLine(/^\d+$/));
    expect(groupMembers(sleeperGroup).length).toBeGreaterThan(0);
    await parent.kill();
    await waitFor(
      'the orphaned group to be killed by its guard',
      () => groupMembers(sleeperGroup).length === 0,
    );
  });
});
