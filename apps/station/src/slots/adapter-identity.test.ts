// Adapter identity on this machine's real device nodes (no USB adapters here, so only the
// fallbacks can be exercised: a by-path link name, and null for a non-USB device).
import { describe, expect, it } from 'vitest';
import { adapterIdentity } from './adapter-identity';

describe('adapterIdentity', () => {
  it('names a /dev/serial/by-path link by its physical-socket name', async () => {
    const path = '/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0';
    expect(await adapterIdentity(path)).toBe('usb-path:pci-0000:00:14.0-usb-0:2:1.0-port0');
  });

  it('gives no identity to a device that is not a USB tty (plug order names identify nothing)', async () => {
    expect(await adapterIdentity('/dev/null')).toBeNull();
    expect(await adapterIdentity('/dev/ttyUSB99')).toBeNull();
  });
});
