import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** USB serial number of the device behind a tty, read from sysfs; undefined when it has none. */
async function usbSerialNumber(devicePath: string): Promise<string | undefined> {
  try {
    const tty = basename(await realpath(devicePath));
    let dir = await realpath(`/sys/class/tty/${tty}/device`);
    // Walk up from the tty's interface to the USB device node, which holds `serial`.
    for (let depth = 0; depth < 4 && dir !== '/'; depth += 1) {
      const serial = await readFile(join(dir, 'serial'), 'utf8').catch(() => undefined);
      if (serial?.trim()) return serial.trim();
      dir = dirname(dir);
    }
  } catch {
    // Not a USB tty (or no sysfs): fall through to the path-based identity.
  }
  return undefined;
}

/**
 * Stable identity of the adapter on a port (design §5): `usb-serial:<serial number>` when the
 * adapter reports one, else `usb-path:<name>` for a /dev/serial/by-path link (the physical
 * socket), else null: a bare ttyUSBn name changes with plug order and identifies nothing.
 */
export async function adapterIdentity(devicePath: string): Promise<string | null> {
  const serial = await usbSerialNumber(devicePath);
  if (serial) return `usb-serial:${serial}`;
  if (devicePath.includes('/dev/serial/by-path/')) return `usb-path:${basename(devicePath)}`;
  return null;
}
