// Unit test of how slot tiles shorten serial port paths; nothing is mocked.
import { describe, expect, it } from 'vitest';
import { portLabel } from './port-label';

describe('portLabel', () => {
  it('shows a short device name whole', () => {
    expect(portLabel('/dev/ttyUSB3')).toBe('ttyUSB3');
  });

  it('keeps the distinguishing end of a long by-path name', () => {
    const label = portLabel('/dev/serial/by-path/pci-0000:00:14.0-usb-0:3:1.0-port0');
    expect(label).toBe('…0-usb-0:3:1.0-port0');
    expect(label).toHaveLength(20);
  });

  it('leaves a name without slashes alone', () => {
    expect(portLabel('COM7')).toBe('COM7');
  });
});
