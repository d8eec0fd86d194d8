// Which adapter serves each slot now, and what changed since the last look (pure: no I/O here).
import type { SerialPortEntry } from '../env';

/** A port as serialport's `SerialPort.list()` reports it (the fields the slot map reads). */
export interface ListedPort {
  path: string;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
}

/** A slot as seen at one look: where its adapter is and who it is, or that it is missing. */
export interface SlotBinding {
  slot: number;
  /** The device to open: the configured path, or the tty a usb-serial adapter is on now. */
  path: string;
  /** Stable identity of the adapter serving the slot; null while missing (or not USB). */
  adapter: string | null;
  online: boolean;
}

export type SlotChange =
  | { slot: number; kind: 'unplugged'; adapter: string | null }
  | { slot: number; kind: 'replugged'; adapter: string | null }
  | { slot: number; kind: 'swapped'; from: string | null; to: string | null };

/**
 * One configured slot resolved against what the machine shows now. `ports` is serialport's list
 * (null when it could not be read); `target` is the real device behind a path entry (null when the
 * path is missing); `fallbackIdentity` is the identity read from sysfs or the by-path name.
 */
export function bindSlot(
  entry: SerialPortEntry,
  ports: readonly ListedPort[] | null,
  target: string | null,
  fallbackIdentity: string | null,
): SlotBinding {
  if (entry.kind === 'usb-serial') {
    const port = ports?.find((p) => p.serialNumber === entry.serialNumber);
    return port
      ? {
          slot: entry.slot,
          path: port.path,
          adapter: `usb-serial:${entry.serialNumber}`,
          online: true,
        }
      : {
          slot: entry.slot,
          path: `usb-serial:${entry.serialNumber}`,
          adapter: null,
          online: false,
        };
  }
  if (target === null) return { slot: entry.slot, path: entry.path, adapter: null, online: false };
  // The serial number the adapter reports tells a swapped adapter in the same socket apart.
  const listed = ports?.find((p) => p.path === target || p.path === entry.path);
  const adapter = listed?.serialNumber ? `usb-serial:${listed.serialNumber}` : fallbackIdentity;
  return { slot: entry.slot, path: entry.path, adapter, online: true };
}

/** What happened to each slot between two looks: unplug, re-plug, or another adapter in its place. */
export function slotChanges(
  before: readonly SlotBinding[],
  after: readonly SlotBinding[],
): SlotChange[] {
  const changes: SlotChange[] = [];
  for (const now of after) {
    const was = before.find((b) => b.slot === now.slot);
    if (!was) continue;
    if (was.online && !now.online)
      changes.push({ slot: now.slot, kind: 'unplugged', adapter: was.adapter });
    else if (!was.online && now.online)
      changes.push({ slot: now.slot, kind: 'replugged', adapter: now.adapter });
    else if (now.online && was.adapter !== now.adapter)
      changes.push({ slot: now.slot, kind: 'swapped', from: was.adapter, to: now.adapter });
    else if (now.online && was.path !== now.path)
      // The same adapter came back under another tty name between two looks.
      changes.push({ slot: now.slot, kind: 'replugged', adapter: now.adapter });
  }
  return changes;
}
