// Real slots found on this machine's filesystem: links made in a temp folder stand for by-path
// links (removed = unplugged, made again = re-plugged), looked at through the real port watch.
// serialport's list is given as data where a USB serial number is needed: this machine has no USB
// adapter (and no udevadm, so the real list fails, which is one of the cases below).
import { rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PortWatch } from './port-watch';
import { serialSlotProbe } from './serial-slots';
import type { ListedPort, SlotChange } from './slot-binding';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('serial-slots');
});
afterEach(async () => {
  await dir.dispose();
});

describe('serialSlotProbe', () => {
  it('starts with a missing adapter offline and the others online, instead of refusing', async () => {
    const present = join(dir.path, 'socket-1');
    await symlink('/dev/null', present);
    const failures: Error[] = [];
    const { probe } = serialSlotProbe(
      [
        { slot: 1, kind: 'path', path: present },
        { slot: 2, kind: 'path', path: join(dir.path, 'socket-2') },
        { slot: 3, kind: 'usb-serial', serialNumber: 'A10K4XYZ' },
      ],
      (error) => failures.push(error),
      () => Promise.reject(new Error('spawn udevadm ENOENT')),
    );
    expect(await probe()).toEqual([
      // /dev/null is no USB tty: present, but with no adapter identity.
      { slot: 1, path: present, adapter: null, online: true },
      { slot: 2, path: join(dir.path, 'socket-2'), adapter: null, online: false },
      { slot: 3, path: 'usb-serial:A10K4XYZ', adapter: null, online: false },
    ]);
    expect(failures.map((f) => f.message)).toEqual(['spawn udevadm ENOENT']);
  });
});

describe('PortWatch on real links', () => {
  it('reports unplug, re-plug and a swapped adapter (another serial number behind the socket)', async () => {
    const link = join(dir.path, 'socket-1');
    await symlink('/dev/null', link);
    let listed: ListedPort[] = [{ path: '/dev/null', serialNumber: 'FT-A' }];
    const { probe } = serialSlotProbe(
      [{ slot: 1, kind: 'path', path: link }],
      () => {},
      async () => listed,
    );
    const seen: SlotChange[] = [];
    const watch = new PortWatch(await probe(), probe, {
      intervalMs: 60_000, // looked at by hand below
      onChange: (_slots, changes) => seen.push(...changes),
    });
    expect(watch.offlineSlots()).toEqual([]);

    await rm(link);
    await watch.check();
    expect(watch.offlineSlots()).toEqual([1]);
    await symlink('/dev/null', link);
    await watch.check();
    listed = [{ path: '/dev/null', serialNumber: 'FT-B' }];
    await watch.check();
    await watch.check(); // nothing new

    expect(seen).toEqual([
      { slot: 1, kind: 'unplugged', adapter: 'usb-serial:FT-A' },
      { slot: 1, kind: 'replugged', adapter: 'usb-serial:FT-A' },
      { slot: 1, kind: 'swapped', from: 'usb-serial:FT-A', to: 'usb-serial:FT-B' },
    ]);
    expect(watch.slots()).toEqual([
      { slot: 1, path: link, adapter: 'usb-serial:FT-B', online: true },
    ]);
    await watch.stop();
  });
});
