// METRICS_TOKEN: the bearer token Prometheus scrapes /metrics with (docs/security.md "Metrics").
// Compared in constant time; a token that is not it is no credential at all.
import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from './secrets';

/** True when the `Authorization` header carries exactly `Bearer <token>`. */
export function carriesScrapeToken(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  // Hashes first: equal lengths for timingSafeEqual, and no length leaked by an early exit.
  const given = Buffer.from(sha256Hex(header.slice('Bearer '.length).trim()), 'hex');
  const expected = Buffer.from(sha256Hex(token), 'hex');
  return timingSafeEqual(given, expected);
}
