// The one decision both REST and socket.io use: may this principal do this?
import type { SessionUser } from '@station/contracts';
import { ForbiddenError, UnauthenticatedError, type AppError } from '../errors';
import { roleAtLeast, type Access } from './role-matrix';

/** Who is asking: a signed-in person (session) or a script (API key). */
export interface Principal {
  user: SessionUser;
  via: 'session' | 'api-key';
  /** The stored session id (SHA-256 of the token); null for an API key. */
  sessionId: string | null;
  expiresAt: Date | null;
}

/**
 * Null when allowed, else the error to answer with. `stationId` is the station the request is
 * about, for entries scoped by `param` or `body`: an operator may act only on the station their
 * session is bound to.
 */
export function refusal(
  access: Access,
  principal: Principal | null,
  stationId?: string,
): AppError | null {
  if ('anyone' in access) return null;
  if (!principal) return new UnauthenticatedError();
  const { role, stationId: bound } = principal.user;
  const forbidden = () => new ForbiddenError(`Your role ${role} may not ${access.what}`);
  if (!roleAtLeast(role, access.role)) return forbidden();
  const scoped = access.station === 'param' || access.station === 'body';
  if (role === 'operator' && scoped && (bound === null || stationId !== bound)) return forbidden();
  return null;
}

/** What an operator may see of a list of stations: their own; everyone else sees all. */
export const visibleStations = <T extends { stationId: string }>(
  principal: Principal,
  stations: T[],
): T[] =>
  principal.user.role === 'operator'
    ? stations.filter((s) => s.stationId === principal.user.stationId)
    : stations;
