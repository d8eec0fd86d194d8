// checkLatencyTimers on a temporary folder laid out like /sys/bus/usb-serial/devices, with slot
// paths that are links to device files, as /dev/serial/by-path links are (no FTDI hardware here).
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLatencyTimers, readLatencyTimer } from './latency-timer-sysfs';

let work: TempDir;
let sysfs: string;
let dev: string;

/** An adapter: its device file, a by-path style link to it, and (FTDI only) its sysfs timer. */
async function adapter(tty: string, timer?: string): Promise<string> {
  await writeFile(join(dev, tty), '');
  const link = join(dev, `by-path-${tty}`);
  await symlink(join(dev, tty), link);
  if (timer !== undefined) {
    await mkdir(join(sysfs, tty), { recursive: true });
    await writeFile(join(sysfs, tty, 'latency_timer'), timer);
  }
  return link;
}

beforeEach(async () => {
  work = await tempDir('latency-timer');
  sysfs = join(work.path, 'sys/bus/usb-serial/devices');
  dev = join(work.path, 'dev');
  await mkdir(sysfs, { recursive: true });
  await mkdir(dev, { recursive: true });
});
afterEach(() => work.dispose());

describe('checkLatencyTimers (sysfs laid out in a temp folder)', () => {
  it('reports each online slot: ok, slow (warned, file untouched), not FTDI; skips offline', async () => {
    const slots = [
      { slot: 1, path: await adapter('ttyUSB0', '1\n'), online: true },
      { slot: 2, path: await adapter('ttyUSB1', '16\n'), online: true },
      { slot: 3, path: await adapter('ttyACM0'), online: true },
      { slot: 4, path: join(dev, 'by-path-missing'), online: false },
    ];
    const outcomes = await checkLatencyTimers(slots, { fix: false, root: sysfs });
    expect(outcomes.map(({ slot, tty, status }) => ({ slot, tty, status }))).toEqual([
      { slot: 1, tty: 'ttyUSB0', status: 'ok' },
      { slot: 2, tty: 'ttyUSB1', status: 'warn' },
      { slot: 3, tty: 'ttyACM0', status: 'not-ftdi' },
    ]);
    const slow = outcomes[1] as { problem: string; ms: number };
    expect(slow.ms).toBe(16);
    expect(slow.problem).toContain(`echo 1 > ${join(sysfs, 'ttyUSB1/latency_timer')}`);
    expect(await readFile(join(sysfs, 'ttyUSB1/latency_timer'), 'utf8')).toBe('16\n');
  });

  it('sets a slow timer to 1 ms when allowed, and reads it back', async () => {
    const path = await adapter('ttyUSB2', '16\n');
    const outcomes = await checkLatencyTimers([{ slot: 5, path, online: true }], {
      fix: true,
      root: sysfs,
    });
    expect(outcomes).toEqual([{ slot: 5, tty: 'ttyUSB2', status: 'set', fromMs: 16, ms: 1 }]);
    expect(await readLatencyTimer(join(sysfs, 'ttyUSB2/latency_timer'))).toMatchObject({
      kind: 'value',
      ms: 1,
    });
  });

  it('warns, rather than failing the start, when the file is unreadable or holds no number', async () => {
    const garbled = await adapter('ttyUSB3', 'n/a\n');
    const broken = await adapter('ttyUSB4');
    // A directory where the file should be: reading it fails with EISDIR.
    await mkdir(join(sysfs, 'ttyUSB4/latency_timer'), { recursive: true });
    const outcomes = await checkLatencyTimers(
      [
        { slot: 6, path: garbled, online: true },
        { slot: 7, path: broken, online: true },
      ],
      { fix: true, root: sysfs },
    );
    expect(outcomes.map((o) => o.status)).toEqual(['warn', 'warn']);
    expect((outcomes[0] as { problem: string }).problem).toContain('reads "n/a"');
    expect((outcomes[1] as { problem: string }).problem).toContain('could not be read or written');
  });
});
