// Whether METRICS_HOST keeps the station's /metrics on this PC: only then may it go without a
// token (docs/security.md "Metrics"). Anything else, including 0.0.0.0 and a host name, is not.
import { isIPv4, isIPv6 } from 'node:net';

/** True for localhost, 127.0.0.0/8 and ::1, however written (::ffff:127.x.y.z included). */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  if (name === 'localhost') return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (!isIPv6(name)) return false;
  // The URL parser writes every IPv6 spelling one way: [::1], and [::ffff:7fxx:…] for 127/8.
  const canonical = new URL(`http://[${name}]`).hostname;
  return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}
