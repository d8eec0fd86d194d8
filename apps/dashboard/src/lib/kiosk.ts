import { StationId, type SessionUser } from '@station/contracts';

/**
 * A kiosk is a screen at one station, named in its address (`/sign-in?station=station-1`). The
 * station travels with the screen: sign-in → line view → sign-out (or an ended session) → back to
 * that kiosk's badge field, never to a screen for another station.
 */
export function kioskStationFrom(param: string | string[] | undefined): string | null {
  const value = Array.isArray(param) ? param[0] : param;
  if (value === undefined) return null;
  const parsed = StationId.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The kiosk this screen belongs to: its address says so, or the operator's session is bound to one. */
export function kioskStationOf(urlStation: string | null, user: SessionUser | null): string | null {
  return urlStation ?? (user?.role === 'operator' ? user.stationId : null);
}

const withStation = (path: string, station: string | null) =>
  station === null ? path : `${path}?station=${encodeURIComponent(station)}`;

export const signInPath = (station: string | null) => withStation('/sign-in', station);
export const lineViewPath = (station: string | null) => withStation('/', station);
