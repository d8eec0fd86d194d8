// Who may do what: every REST route and socket.io event of the server, in one place (listed in
// docs/security.md). The auth plugin refuses to start when a registered route has no entry here,
// so a new route cannot ship unguarded.
import type { Role } from '@station/contracts';

/** Roles in rank order: each may do everything the ones before it may. */
export const ROLE_RANK: readonly Role[] = ['operator', 'supervisor', 'engineer', 'admin'];

/**
 * How an operator's station binding applies: `param`/`body` name the station the request is about
 * (the route's `stationId` parameter or body field; another station is 403), `list` lets the
 * handler filter a list down to the operator's station.
 */
export type StationScope = 'param' | 'body' | 'list';

export type Access =
  /** Anyone, signed in or not. */
  | { anyone: true }
  /**
   * Signed in with at least `role`; `what` finishes "Your role <role> may not …". `stations`:
   * station agents may call it too, with their signed request (docs/security.md "Stations").
   */
  | {
      role: Role;
      what: string;
      station?: StationScope;
      stations?: true;
      /** Also open to `Authorization: Bearer <METRICS_TOKEN>` (Prometheus), when one is set. */
      scrapeToken?: true;
    };

const anyone: Access = { anyone: true };
const docs: Access = { role: 'engineer', what: 'read the API documentation' };

/** `METHOD /path` as Fastify registers it (HEAD routes use their GET entry). */
export type RouteMatrix = Readonly<Record<string, Access>>;

export const ROUTE_MATRIX: RouteMatrix = {
  // CORS preflight (@fastify/cors): answers with headers only, no data.
  'OPTIONS *': anyone,
  'GET /api/health': anyone,
  'POST /api/session': anyone,
  'GET /api/session': anyone,
  'DELETE /api/session': anyone,
  'GET /api/stations': { role: 'operator', what: 'list stations', station: 'list' },
  'GET /api/stations/:stationId': {
    role: 'operator',
    what: 'read another station',
    station: 'param',
  },
  // Station credentials: admins only (the answer carries a secret).
  'POST /api/stations': { role: 'admin', what: 'create stations' },
  'POST /api/stations/:stationId/credential': { role: 'admin', what: 'manage station credentials' },
  'DELETE /api/stations/:stationId/credential': {
    role: 'admin',
    what: 'manage station credentials',
  },
  // The admins' list of stations and their credentials (never a secret).
  'GET /api/station-credentials': { role: 'admin', what: 'manage station credentials' },
  // People and API keys: admins only.
  'GET /api/users': { role: 'admin', what: 'manage users' },
  'POST /api/users': { role: 'admin', what: 'manage users' },
  'PATCH /api/users/:id': { role: 'admin', what: 'manage users' },
  'GET /api/api-keys': { role: 'admin', what: 'manage API keys' },
  'POST /api/api-keys': { role: 'admin', what: 'manage API keys' },
  'DELETE /api/api-keys/:id': { role: 'admin', what: 'manage API keys' },
  'POST /api/flash-jobs': {
    role: 'operator',
    what: 'start flashes on another station',
    station: 'body',
  },
  'GET /api/modules/:imei': { role: 'supervisor', what: 'read module history' },
  // The line's judgement (issue #9 §2): supervisors put slots and modules back, or take slots
  // out; each change is audited with its reason.
  'POST /api/stations/:stationId/slots/:slot/release': {
    role: 'supervisor',
    what: 'release slots',
  },
  'POST /api/stations/:stationId/slots/:slot/disable': {
    role: 'supervisor',
    what: 'disable slots',
  },
  'POST /api/modules/:imei/release': { role: 'supervisor', what: 'release quarantined modules' },
  // What waits for those releases (the yield page): supervisors' work list, not an operator's.
  'GET /api/attribution/open': {
    role: 'supervisor',
    what: 'list suspect slots and quarantined modules',
  },
  // Supervisors review what happened on the line (releases, overrides, sign-ins); engineers and
  // admins rank above them. Operators do not: the log names other people's actions.
  'GET /api/audit-events': { role: 'supervisor', what: 'read the audit log' },
  // The attempt explorer (issue #10 §2): supervisors and engineers read the line's history;
  // operators flash, they do not query other stations' records.
  'GET /api/attempts': { role: 'supervisor', what: 'explore flash attempts' },
  'GET /api/attempts.csv': { role: 'supervisor', what: 'export flash attempts' },
  'GET /api/attempts/:id': { role: 'supervisor', what: 'read a flash attempt' },
  // Engineers manage firmware (issue #8 §2). Supervisors may read the registry: yield per
  // firmware is theirs to watch, and knowing what a line flashes changes nothing.
  'POST /api/firmware-packages': { role: 'engineer', what: 'upload firmware' },
  'GET /api/firmware-packages': { role: 'supervisor', what: 'read the firmware registry' },
  // Station agents fetch a package they do not hold with a request signed by their key.
  'GET /api/firmware-packages/:id': {
    role: 'supervisor',
    what: 'read the firmware registry',
    stations: true,
  },
  'GET /api/firmware-packages/:id/files/:fileName': {
    role: 'engineer',
    what: 'download firmware files',
    stations: true,
  },
  'POST /api/firmware-packages/:id/activate': { role: 'engineer', what: 'activate firmware' },
  // Yield and the failure Pareto (issue #10, docs/analytics.md): the supervisors' and engineers'
  // figures. Operators do not read them: a line's figures by operator name other people.
  'GET /api/yield': { role: 'supervisor', what: 'read yield figures' },
  'GET /api/failures/pareto': { role: 'supervisor', what: 'read the failure Pareto' },
  // The shift and target those figures are framed by (the yield page).
  'GET /api/analytics/settings': { role: 'supervisor', what: 'read the analytics settings' },
  // Alerts (issue #12 §2, docs/operations.md "Alerts"): supervisors and engineers act on them;
  // operators are told at their tile, and an alert names other stations.
  'GET /api/alerts': { role: 'supervisor', what: 'read alerts' },
  // Prometheus text format (docs/operations.md "Metrics"): the line's counts, as yield figures
  // are, and Prometheus with its own token, which opens nothing else (docs/security.md).
  'GET /metrics': { role: 'supervisor', what: 'read metrics', scrapeToken: true },
  'GET /docs': docs,
  'GET /docs/': docs,
  'GET /docs/json': docs,
  'GET /docs/yaml': docs,
  'GET /docs/static/index.html': docs,
  'GET /docs/static/swagger-initializer.js': docs,
  'GET /docs/static/*': docs,
};

/** socket.io events a client may emit; connecting at all needs a session or an API key. */
export const SOCKET_EVENT_MATRIX = {
  'stations:snapshot': { role: 'operator', what: 'list stations', station: 'list' },
  'station:watch': { role: 'operator', what: 'watch another station', station: 'body' },
} as const satisfies Record<string, Access>;

/**
 * Events the server emits to a role's room rather than a station's: a socket joins the room on
 * connect when its role is at least the one here.
 */
export const SOCKET_BROADCAST_MATRIX = {
  'alert:changed': { role: 'supervisor', what: 'receive alerts' },
} as const satisfies Record<string, Access>;

/** True when `role` ranks at or above `needed`. */
export const roleAtLeast = (role: Role, needed: Role): boolean =>
  ROLE_RANK.indexOf(role) >= ROLE_RANK.indexOf(needed);

/** The matrix key of a route as Fastify's onRoute hook reports it. */
export const routeKey = (method: string, url: string): string =>
  `${method === 'HEAD' ? 'GET' : method} ${url}`;
