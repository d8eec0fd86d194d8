// Every request is decided by the role matrix: the credential (session cookie or API key) is
// resolved first, then the route's entry says who may. Routes without an entry stop the start.
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '@station/contracts';
import { carriesBearerToken, STATION_AUTH_SCHEME, type StationRequestCheck } from '@station/trust';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { refusal, type Principal } from './access';
import type { AuthService } from './auth.service';
import { routeKey, type Access, type RouteMatrix } from './role-matrix';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking, when a valid session cookie or API key came with the request. */
    principal: Principal | null;
    /** The station agent asking, when its signed `FlashStation` authorization checked out. */
    station: string | null;
  }
}

/** A route was registered that the role matrix does not list. */
export class UnguardedRouteError extends Error {
  constructor(readonly route: string) {
    super(
      `Route ${route} has no entry in the role matrix (apps/server/src/auth/role-matrix.ts): ` +
        'add one saying who may call it',
    );
    this.name = 'UnguardedRouteError';
  }
}

/** The principal a request's credential stands for: `Authorization: Bearer <API key>`, else the
 * session cookie. A credential that is not valid is no principal. */
export async function principalOf(
  auth: AuthService,
  request: Pick<FastifyRequest, 'headers' | 'cookies'>,
): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return auth.fromApiKey(header.slice('Bearer '.length).trim());
  const token = request.cookies[SESSION_COOKIE];
  return token ? auth.fromSessionToken(token) : null;
}

/**
 * Refuses every route the matrix does not list: registering one throws, so the app does not
 * build. Call before anything registers a route (the hook sees only routes added after it).
 */
export function guardRoutes(app: FastifyInstance, matrix: RouteMatrix): void {
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const key = routeKey(method, route.url);
      if (!matrix[key]) throw new UnguardedRouteError(key);
    }
  });
}

/**
 * Cookie parsing and the per-request check. Register after CORS and helmet, whose onRequest
 * hooks must put their headers on a 401 or 403 too (else a browser cannot read it).
 */
export async function registerAuth(
  app: FastifyInstance,
  options: {
    auth: AuthService;
    matrix: RouteMatrix;
    /** Checks a station's signed request (the keyring); without it no station is believed. */
    verifyStation?: (header: string, method: string, path: string) => StationRequestCheck;
    /** METRICS_TOKEN: opens the routes marked `scrapeToken` to its bearer; unset, nobody's. */
    scrapeToken?: string;
  },
): Promise<void> {
  const { auth, matrix } = options;
  await app.register(cookie);
  app.decorateRequest('principal', null);
  app.decorateRequest('station', null);

  const accessOf = (request: FastifyRequest): Access | undefined => {
    const url = request.routeOptions.url;
    return url === undefined ? undefined : matrix[routeKey(request.method, url)];
  };

  app.addHook('onRequest', async (request) => {
    // No route (the 404 handler): nothing to guard.
    if (request.routeOptions.url === undefined) return;
    const access = accessOf(request) ?? { role: 'admin', what: 'call an unlisted route' };
    const header = request.headers.authorization;
    if (header?.startsWith(`${STATION_AUTH_SCHEME} `)) {
      const check = options.verifyStation?.(header, request.method, request.url) ?? {
        ok: false as const,
        reason: 'this server takes no station requests',
      };
      if (!check.ok) {
        request.log.warn({ reason: check.reason }, 'station request refused');
        throw new UnauthenticatedError(`Station request refused: ${check.reason}`);
      }
      request.station = check.stationId;
      if ('anyone' in access || access.stations) return;
      throw new ForbiddenError(`Stations may not ${access.what}`);
    }
    const { scrapeToken } = options;
    const byToken = !('anyone' in access) && access.scrapeToken === true;
    if (byToken && scrapeToken && carriesBearerToken(header, scrapeToken)) return;
    request.principal = await principalOf(auth, request);
    // The role now; a body's station after validation (preHandler), when the body is parsed.
    const early: Access =
      'anyone' in access || access.station !== 'body' ? access : { ...access, station: undefined };
    const stationParam = (request.params as { stationId?: string } | undefined)?.stationId;
    const refused = refusal(early, request.principal, stationParam);
    if (refused) throw refused;
  });

  app.addHook('preHandler', async (request) => {
    const access = accessOf(request);
    if (!access || 'anyone' in access || access.station !== 'body') return;
    const stationId = (request.body as { stationId?: string } | undefined)?.stationId;
    const refused = refusal(access, request.principal, stationId);
    if (refused) throw refused;
  });
}
