// Real slots found on this machine's filesystem: links made in a temp folder stand for by-path
// links (removed = unplugged, made again = re-plugged), looked at through the real port watch.
// serialport's list is given as data where a USB serial number is needed: this machine has no USB
// adapter (and no udevadm, so the real list fails, which is one of the cases below).
import { rename, rm, symlink, writeFile } from 'node:fs/promises';
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
  // A regular file stands for the adapter's tty node: plugging an adapter in makes a new node
  // (a new inode) even under the same ttyUSBn name, as a file written anew and renamed over it.
  const plugNewNode = async (node: string) => {
    await writeFile(`${node}.next`, '');
    await rename(`${node}.next`, node);
  };

  it('reports unplug, re-plug and a swapped adapter (another serial number behind the socket)', async () => {
    const node = join(dir.path, 'ttyUSB0');
    await writeFile(node, '');
    const link = join(dir.path, 'socket-1');
    await symlink(node, link);
    let listed: ListedPort[] = [{ path: node, serialNumber: 'FT-A' }];
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
    await symlink(node, link);
    await watch.check();
    // Another adapter in the same socket, given the same tty name between two looks.
    listed = [{ path: node, serialNumber: 'FT-B' }];
    await plugNewNode(node);
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

  it('reads the port list again only when a device node changed', async () => {
    const nodes = [join(dir.path, 'ttyUSB0'), join(dir.path, 'ttyUSB1')];
    const entries = nodes.map((node, at) => ({
      slot: at + 1,
      kind: 'path' as const,
      path: join(dir.path, `socket-${at + 1}`),
    }));
    for (const [at, node] of nodes.entries()) {
      await writeFile(node, '');
      await symlink(node, entries[at]!.path);
    }
    let lists = 0;
    const { probe } = serialSlotProbe(
      entries,
      () => {},
      async () => {
        lists++;
        return nodes.map((path, at) => ({ path, serialNumber: `FT-${at}` }));
      },
    );
    const first = await probe();
    await probe();
    await probe();
    expect(lists).toBe(1);
    expect(await probe()).toBe(first);
    // A new node behind one link (unplug and plug between two looks): a full look.
    await plugNewNode(nodes[1]!);
    await probe();
    expect(lists).toBe(2);
    // A link gone: a full look, and the slot offline.
    await rm(entries[0]!.path);
    expect((await probe())[0]).toEqual({
      slot: 1,
      path: entries[0]!.path,
      adapter: null,
      online: false,
    });
    expect(lists).toBe(3);
    await probe();
    expect(lists).toBe(3);
  });

  it('with a usb-serial slot, looks at the list every time (that is where it is found)', async () => {
    let lists = 0;
    const { probe } = serialSlotProbe(
      [{ slot: 1, kind: 'usb-serial', serialNumber: 'FT-A' }],
      () => {},
      async () => {
        lists++;
        return lists < 3 ? [] : [{ path: '/dev/ttyUSB7', serialNumber: 'FT-A' }];
      },
    );
    expect((await probe())[0]!.online).toBe(false);
    expect((await probe())[0]!.online).toBe(false);
    expect(await probe()).toEqual([
      { slot: 1, path: '/dev/ttyUSB7', adapter: 'usb-serial:FT-A', online: true },
    ]);
  });
});
