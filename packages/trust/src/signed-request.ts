// A station's HTTP requests to the servers (fetching a firmware package by digest) carry
// `Authorization: FlashStation <stationId> <unix ms> <hmac>`: the HMAC-SHA256, with the
// station's signing key, of the method, the path as sent and the time. The servers check it with
// the key they hold and refuse a time more than `maxSkewMs` away from theirs, so a captured
// header stops working within minutes; only read-only routes accept stations.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { StationId } from '@station/contracts';

export const STATION_AUTH_SCHEME = 'FlashStation';

/** How far a station's clock may be from the server's (NTP on a line keeps it within seconds). */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;

const requestMac = (signingKey: string, method: string, path: string, at: number): Buffer =>
  createHmac('sha256', Buffer.from(signingKey, 'hex'))
    .update(`http\n${method.toUpperCase()}\n${path}\n${at}`)
    .digest();

/** The Authorization header value for `method path`, signed now. */
export function stationAuthorization(
  signingKey: string,
  stationId: string,
  method: string,
  path: string,
  now: number = Date.now(),
): string {
  const mac = requestMac(signingKey, method, path, now).toString('hex');
  return `${STATION_AUTH_SCHEME} ${StationId.parse(stationId)} ${now} ${mac}`;
}

export type StationRequestCheck = { ok: true; stationId: string } | { ok: false; reason: string };

/** Whether `header` proves a credentialed station sent `method path` within the allowed skew. */
export function verifyStationAuthorization(
  header: string,
  method: string,
  path: string,
  signingKeyOf: (stationId: string) => string | undefined,
  options: { now?: number; maxSkewMs?: number } = {},
): StationRequestCheck {
  const [scheme, stationId, atText, mac, ...rest] = header.trim().split(/\s+/);
  if (scheme !== STATION_AUTH_SCHEME || !stationId || !atText || !mac || rest.length > 0)
    return { ok: false, reason: 'malformed station authorization' };
  if (!/^[0-9a-f]{64}$/.test(mac) || !/^\d{1,16}$/.test(atText))
    return { ok: false, reason: 'malformed station authorization' };
  const key = signingKeyOf(stationId);
  if (!key) return { ok: false, reason: `station ${stationId} has no credential` };
  const at = Number(atText);
  const skew = Math.abs((options.now ?? Date.now()) - at);
  if (skew > (options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS))
    return {
      ok: false,
      reason: `request time is ${Math.round(skew / 1000)} s off the server's clock`,
    };
  if (!timingSafeEqual(requestMac(key, method, path, at), Buffer.from(mac, 'hex')))
    return { ok: false, reason: 'bad request signature' };
  return { ok: true, stationId };
}
