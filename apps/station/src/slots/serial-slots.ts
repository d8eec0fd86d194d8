// Real slots from SERIAL_PORTS, looked up on this machine: by-path links through the filesystem,
// USB serial numbers through serialport's own port list. A missing adapter is a slot offline,
// never a refusal to start.
import { realpath } from 'node:fs/promises';
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
  return {
    async probe() {
      const ports = await list().catch((error: unknown) => {
        onListFailure(error instanceof Error ? error : new Error(String(error)));
        return null;
      });
      return Promise.all(
        entries.map(async (entry) => {
          if (entry.kind === 'usb-serial') return bindSlot(entry, ports, null, null);
          const target = await realpath(entry.path).catch(() => null);
          const fallback = target === null ? null : await adapterIdentity(entry.path);
          return bindSlot(entry, ports, target, fallback);
        }),
      );
    },
  };
}
