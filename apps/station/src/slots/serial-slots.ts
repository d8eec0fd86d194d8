// Real slots from SERIAL_PORTS, looked up on this machine: by-path links through the filesystem,
// USB serial numbers through serialport's own port list. A missing adapter is a slot offline,
// never a refusal to start.
//
// The port watch looks every second. A full look runs `udevadm info -e` (serialport's list: every
// device's udev record, large on a PC with 128 adapters) and walks sysfs for each slot's serial
// number; it is needed only when a device node changed. Unplugging an adapter removes its tty
// node and plugging one in makes a new node (a new inode, even under the same ttyUSBn name), so
// while every path slot's link leads to the very node it led to at the last full look, no adapter
// can have come, gone or been swapped, and that look's answer stands. usb-serial slots are found
// through the list itself: with any of them, every look is a full one.
import { realpath, stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { SerialPortEntry } from '../env';
import { adapterIdentity } from './adapter-identity';
import { bindSlot, type ListedPort, type SlotBinding } from './slot-binding';

export interface SerialSlotProbe {
  /** Every configured slot as the machine shows it now. */
  probe(): Promise<SlotBinding[]>;
}

/**
 * `onListFailure` hears why serialport's list could not be read (it runs `udevadm info -e` on
 * Linux; a container without udev has none): usb-serial slots are then offline, path slots are
 * still found through the filesystem.
 */
export function serialSlotProbe(
  entries: readonly SerialPortEntry[],
  onListFailure: (error: Error) => void,
  list: () => Promise<ListedPort[]> = () => SerialPort.list(),
): SerialSlotProbe {
  const listNeededEveryLook = entries.some((entry) => entry.kind === 'usb-serial');
  let last: { nodes: (DeviceNode | null)[]; slots: SlotBinding[] } | undefined;
  return {
    async probe() {
      const nodes = await Promise.all(
        entries.map((entry) => (entry.kind === 'path' ? deviceNode(entry.path) : null)),
      );
      if (!listNeededEveryLook && last && sameNodes(last.nodes, nodes)) return last.slots;
      const ports = await list().catch((error: unknown) => {
        onListFailure(error instanceof Error ? error : new Error(String(error)));
        return null;
      });
      const slots = await Promise.all(
        entries.map(async (entry, at) => {
          if (entry.kind === 'usb-serial') return bindSlot(entry, ports, null, null);
          const target = nodes[at]?.target ?? null;
          const fallback = target === null ? null : await adapterIdentity(entry.path);
          return bindSlot(entry, ports, target, fallback);
        }),
      );
      last = { nodes, slots };
      return slots;
    },
  };
}

/** The device node a path leads to now: its real path and the node's identity. */
interface DeviceNode {
  target: string;
  inode: number;
  device: number;
}

async function deviceNode(path: string): Promise<DeviceNode | null> {
  try {
    const target = await realpath(path);
    const info = await stat(target);
    return { target, inode: info.ino, device: info.rdev };
  } catch {
    return null;
  }
}

function sameNodes(before: (DeviceNode | null)[], now: (DeviceNode | null)[]): boolean {
  return now.every((node, at) => {
    const was = before[at];
    if (!node || !was) return node === was;
    return node.target === was.target && node.inode === was.inode && node.device === was.device;
  });
}
