// The station's METRICS_TOKEN check: the same rule as the server's scrape token (constant-time,
// exactly `Bearer <token>`), kept here because the station shares no code with apps/server.
import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** True when the `Authorization` header carries exactly `Bearer <token>`. */
export function carriesBearerToken(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  // Hashes first: equal lengths for timingSafeEqual, and no length leaked by an early exit.
  return timingSafeEqual(sha256(header.slice('Bearer '.length).trim()), sha256(token));
}
