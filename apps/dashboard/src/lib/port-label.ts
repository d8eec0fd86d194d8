const MAX_LABEL = 20;

/**
 * A serial port path as a tile can show it: the last path segment, and of a long one its end,
 * because stable names (`/dev/serial/by-path/pci-…-usb-0:3:1.0-port0`) differ only at the end.
 */
export function portLabel(port: string): string {
  const name = port.split('/').filter(Boolean).pop() ?? port;
  return name.length <= MAX_LABEL ? name : `…${name.slice(-(MAX_LABEL - 1))}`;
}
