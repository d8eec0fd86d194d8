import type { ApiKeySummary } from '@station/contracts';

/** A time as this screen's locale writes it; `—` for none. */
export const when = (iso: string | null): string =>
  iso === null ? '—' : new Date(iso).toLocaleString();

/** Whether a key still works, as its list shows it. */
export function keyState(key: ApiKeySummary, now: number = Date.now()): string {
  if (key.revokedAt !== null) return 'Revoked';
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) return 'Expired';
  return 'Active';
}

/** The end of a picked day (`YYYY-MM-DD`, this screen's time zone) as an ISO time. */
export const endOfDay = (day: string): string => new Date(`${day}T23:59:59.999`).toISOString();
