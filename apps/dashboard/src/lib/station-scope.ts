import type { SessionUser, StationStatus } from '@station/contracts';
import type { LineAction } from './line-state';

/** Which stations a signed-in user's line view shows: an operator only the one at their kiosk. */
export type StationScope = { kind: 'all' } | { kind: 'one'; stationId: string | null };

export function stationScopeOf(user: SessionUser): StationScope {
  // An operator's session is bound to the station they signed in at; one without a station (an
  // account signed in some other way) sees none rather than every station.
  return user.role === 'operator' ? { kind: 'one', stationId: user.stationId } : { kind: 'all' };
}

export const inScope = (scope: StationScope, stationId: string): boolean =>
  scope.kind === 'all' || scope.stationId === stationId;

const only = (scope: StationScope, stations: StationStatus[]) =>
  scope.kind === 'all' ? stations : stations.filter((s) => inScope(scope, s.stationId));

/**
 * The same filter the server applies, on what the screen hears: the health poll is anonymous and
 * lists every station, so without it an operator's screen would show (and try to watch) them all.
 * Returns null for an action about a station out of scope.
 */
export function scopeLineAction(scope: StationScope, action: LineAction): LineAction | null {
  if (scope.kind === 'all') return action;
  switch (action.type) {
    case 'health':
      if (action.result.kind !== 'ok') return action;
      return {
        ...action,
        result: {
          ...action.result,
          health: { ...action.result.health, stations: only(scope, action.result.health.stations) },
        },
      };
    case 'station-snapshot':
      return { ...action, stations: only(scope, action.stations) };
    case 'station-update':
      return inScope(scope, action.station.stationId) ? action : null;
    case 'watch-reply':
      return inScope(scope, action.station.stationId) ? action : null;
    case 'flash':
      return inScope(scope, action.event.event.stationId) ? action : null;
    default:
      return action;
  }
}
