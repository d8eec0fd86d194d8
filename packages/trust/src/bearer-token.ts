// The bearer-token check both the server's and a station's /metrics use (METRICS_TOKEN,
// docs/security.md "Metrics"): constant time, and a token that is not it is no credential at all.
import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** True when the `Authorization` header carries exactly `Bearer <token>`. */
export function carriesBearerToken(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  // Hashes first: equal lengths for timingSafeEqual, and no length leaked by an early exit.
  return timingSafeEqual(sha256(header.slice('Bearer '.length).trim()), sha256(token));
}
