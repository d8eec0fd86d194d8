// The slot map's pure part: a configured slot against the port list serialport reports, and the
// changes between two looks. Port lists are written out here as serialport returns them on Linux
// (no USB adapter on this machine); the I/O around it is tested in serial-slots.test.ts.
import { describe, expect, it } from 'vitest';
import { bindSlot, slotChanges, type ListedPort, type SlotBinding } from './slot-binding';

const BY_PATH = '/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0';
const ftdi = (serialNumber: string, path = '/dev/ttyUSB0'): ListedPort => ({
  path,
  serialNumber,
  pnpId: `usb-FTDI_FT232R_USB_UART_${serialNumber}-if00-port0`,
});

describe('bindSlot', () => {
  it('finds a usb-serial adapter wherever it is plugged, by its serial number', () => {
    const entry = { slot: 3, kind: 'usb-serial', serialNumber: 'A10K4XYZ' } as const;
    expect(bindSlot(entry, [ftdi('OTHER'), ftdi('A10K4XYZ', '/dev/ttyUSB4')], null, null)).toEqual({
      slot: 3,
      path: '/dev/ttyUSB4',
      adapter: 'usb-serial:A10K4XYZ',
      online: true,
    });
  });

  it('shows a usb-serial slot offline when the list lacks it or cannot be read', () => {
    const entry = { slot: 3, kind: 'usb-serial', serialNumber: 'A10K4XYZ' } as const;
    const offline = { slot: 3, path: 'usb-serial:A10K4XYZ', adapter: null, online: false };
    expect(bindSlot(entry, [ftdi('OTHER')], null, null)).toEqual(offline);
    expect(bindSlot(entry, null, null, null)).toEqual(offline);
  });

  it("names a by-path slot's adapter by the serial number behind the link, else by the socket", () => {
    const entry = { slot: 1, kind: 'path', path: BY_PATH } as const;
    expect(bindSlot(entry, [ftdi('A10K4XYZ')], '/dev/ttyUSB0', 'usb-path:x')).toEqual({
      slot: 1,
      path: BY_PATH,
      adapter: 'usb-serial:A10K4XYZ',
      online: true,
    });
    const noSerial = [{ path: '/dev/ttyUSB0' }];
    expect(bindSlot(entry, noSerial, '/dev/ttyUSB0', 'usb-path:socket')?.adapter).toBe(
      'usb-path:socket',
    );
    expect(bindSlot(entry, [ftdi('A10K4XYZ')], null, null)).toEqual({
      slot: 1,
      path: BY_PATH,
      adapter: null,
      online: false,
    });
  });
});

describe('slotChanges', () => {
  const on = (slot: number, adapter: string, path = `/p/${slot}`): SlotBinding => ({
    slot,
    path,
    adapter,
    online: true,
  });
  const off = (slot: number): SlotBinding => ({
    slot,
    path: `/p/${slot}`,
    adapter: null,
    online: false,
  });

  it('tells unplug, re-plug and swap apart, and reports nothing when nothing changed', () => {
    const before = [on(1, 'usb-serial:A'), on(2, 'usb-serial:B'), off(3), on(4, 'usb-serial:D')];
    const after = [off(1), on(2, 'usb-serial:Z'), on(3, 'usb-serial:C'), on(4, 'usb-serial:D')];
    expect(slotChanges(before, after)).toEqual([
      { slot: 1, kind: 'unplugged', adapter: 'usb-serial:A' },
      { slot: 2, kind: 'swapped', from: 'usb-serial:B', to: 'usb-serial:Z' },
      { slot: 3, kind: 'replugged', adapter: 'usb-serial:C' },
    ]);
    expect(slotChanges(after, after)).toEqual([]);
  });

  it('notices the same adapter back under another tty name between two looks', () => {
    expect(
      slotChanges([on(1, 'usb-serial:A', '/dev/ttyUSB0')], [on(1, 'usb-serial:A', '/dev/ttyUSB3')]),
    ).toEqual([{ slot: 1, kind: 'replugged', adapter: 'usb-serial:A' }]);
  });
});
