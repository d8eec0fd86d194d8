import { createAdapter } from '@socket.io/redis-adapter';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import {
  ALERTS_ROOM,
  SESSION_COOKIE,
  STATIONS_ROOM,
  StationsSnapshotRequest,
  StationWatchRequest,
  stationRoom,
  type SocketRefusal,
  type StationsSnapshot,
  type StationWatchReply,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type StationDetail,
} from '@station/contracts';
import { refusal, visibleStations, type Principal } from '../auth/access';
import type { AuthService } from '../auth/auth.service';
import { roleAtLeast, SOCKET_BROADCAST_MATRIX, SOCKET_EVENT_MATRIX } from '../auth/role-matrix';
import type { StationRegistry } from '../stations/station-registry.service';
import {
  clientAddress,
  ConnectionCounter,
  DEFAULT_SOCKET_LIMITS,
  EventLimiter,
  originAllowed,
  TOO_MANY_REQUESTS,
  type SocketLimits,
} from './socket-limits';

export type { SocketLimits } from './socket-limits';

interface SocketData {
  /** Who connected: set by the handshake check, for every socket that gets to `connection`. */
  principal: Principal;
}

export type SocketServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** The ack function of an event: its last argument, when that is a function. */
function lastAck<Reply>(first: unknown, rest: unknown[]): ((reply: Reply) => void) | null {
  const last = rest.length > 0 ? rest[rest.length - 1] : first;
  return typeof last === 'function' ? (last as (reply: Reply) => void) : null;
}

/** Every socket of one session, to disconnect them all when it signs out (on every instance). */
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;
/** Every socket of one API key, to disconnect them all when it is revoked. */
export const apiKeyRoom = (apiKeyId: string): string => `api-key:${apiKeyId}`;
/** `station:update` of one station, for operators (who must not see the others). */
const stationUpdatesRoom = (stationId: string): string => `${STATIONS_ROOM}:${stationId}`;

declare module 'fastify' {
  interface FastifyInstance {
    /** socket.io on the same HTTP server; emits reach every server instance's clients. */
    io: SocketServer;
  }
}

export interface SocketIoOptions {
  /** Resolves the handshake's session cookie or `auth.token` API key. */
  auth: AuthService;
  corsOrigins: string[];
  registry: StationRegistry;
  /** The line state a `station:watch` answers with. */
  stationDetail: (stationId: string) => Promise<StationDetail | undefined>;
  /**
   * Two Redis connections for the socket.io Redis adapter, so several server instances serve one
   * line: an event emitted by one reaches the rooms' clients on all of them. Left out by tests
   * that run one instance without Redis.
   */
  adapter?: { pub: Redis; sub: Redis; key: string };
  /** Connection and event limits; each left out takes DEFAULT_SOCKET_LIMITS' value. */
  limits?: Partial<SocketLimits>;
}

/** What the plugin needs of an engine.io connection (engine.io is socket.io's own dependency). */
interface EngineConnection {
  request: IncomingMessage;
  close(): void;
  once(event: 'close', listener: () => void): void;
}

/**
 * Decorates Fastify with socket.io (our own few lines rather than fastify-socket.io, whose close
 * order fights Fastify's). Only signed-in clients connect; each event is checked against the
 * role matrix. Every client joins the stations room (an operator: their station's updates only);
 * `station:watch` joins one station's room (its flash events) and answers with its line state,
 * read after joining so no event falls between the two. A browser's handshake must come from
 * `corsOrigins`; connections per client address and events per socket are limited.
 */
export function registerSocketIo(app: FastifyInstance, options: SocketIoOptions): SocketServer {
  const { registry } = options;
  const limits: SocketLimits = { ...DEFAULT_SOCKET_LIMITS, ...options.limits };
  const fromAllowedOrigin = originAllowed(options.corsOrigins);
  const connections = new ConnectionCounter(limits.maxConnectionsPerIp);
  const io: SocketServer = new Server(app.server, {
    // Shapes polling answers only; the Origin itself is checked in allowRequest, for every transport.
    cors: { origin: options.corsOrigins, credentials: true },
    // Every handshake, polling or websocket, before any session is looked up. The message is what
    // the refused client reads (and the log's reason).
    allowRequest: (request, callback) => {
      if (!fromAllowedOrigin(request.headers.origin)) return callback('ORIGIN_NOT_ALLOWED', false);
      if (connections.full(clientAddress(request))) return callback('TOO_MANY_CONNECTIONS', false);
      callback(null, true);
    },
    serveClient: false,
    ...(options.adapter
      ? {
          adapter: createAdapter(options.adapter.pub, options.adapter.sub, {
            key: options.adapter.key,
          }),
        }
      : {}),
  });

  // Authenticated like REST: `auth: { token }` is an API key, else the session cookie. Anything
  // else is refused before `connection` (the client sees connect_error 'UNAUTHENTICATED').
  io.use((socket, next) => {
    const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const cookies = app.parseCookie(socket.request.headers.cookie ?? '');
    const session = cookies[SESSION_COOKIE];
    const resolve =
      typeof token === 'string' && token !== ''
        ? options.auth.fromApiKey(token)
        : session
          ? options.auth.fromSessionToken(session)
          : Promise.resolve(null);
    resolve.then(
      (principal) => {
        if (!principal) return next(new Error('UNAUTHENTICATED'));
        socket.data.principal = principal;
        next();
      },
      (err: unknown) => {
        app.log.warn({ err }, 'socket.io handshake could not be checked');
        next(new Error('UNAVAILABLE'));
      },
    );
  });

  /** A session that ended while its socket stayed open: the socket goes (the client signs in again). */
  const lapsed = (principal: Principal) =>
    principal.expiresAt !== null && principal.expiresAt.getTime() <= Date.now();

  // Counted on the engine.io connection, so refused and unauthenticated ones count too. Handshakes
  // that passed allowRequest together may still go over: the extra connection is closed.
  io.engine.on('connection', (connection: EngineConnection) => {
    const address = clientAddress(connection.request);
    connection.once('close', () => connections.remove(address));
    if (!connections.add(address)) {
      app.log.warn({ address }, 'socket.io connection refused: too many from this address');
      connection.close();
    }
  });

  io.on('connection', (socket) => {
    const { principal } = socket.data;
    socket.on('error', (err) => app.log.warn({ err, socketId: socket.id }, 'socket error'));
    // Before every handler: over the limit an event is answered (when it has an ack) or dropped.
    const limiter = new EventLimiter(limits);
    socket.use((event, next) => {
      const verdict = limiter.check();
      if (verdict === 'serve') return next();
      const ack: unknown = event[event.length - 1];
      if (typeof ack === 'function') (ack as (answer: unknown) => void)(TOO_MANY_REQUESTS);
      if (verdict === 'disconnect') {
        app.log.warn(
          { socketId: socket.id, userId: principal.user.id, address: socket.handshake.address },
          'socket disconnected: it kept sending events over the limit',
        );
        socket.disconnect(true);
      }
    });
    if (principal.sessionId) void socket.join(sessionRoom(principal.sessionId));
    if (principal.via === 'api-key') void socket.join(apiKeyRoom(principal.user.id));
    if (roleAtLeast(principal.user.role, SOCKET_BROADCAST_MATRIX['alert:changed'].role))
      void socket.join(ALERTS_ROOM);
    if (principal.user.role !== 'operator') void socket.join(STATIONS_ROOM);
    else if (principal.user.stationId)
      void socket.join(stationUpdatesRoom(principal.user.stationId));

    // The ack is the last argument whatever came before it: a client that sends extra arguments
    // is answered, not left waiting (found by the fuzz tests).
    socket.on('stations:snapshot', (request, ...rest: unknown[]) => {
      const ack = lastAck<StationsSnapshot | SocketRefusal>(request, rest);
      if (!ack) return;
      // Answered, not dropped: a client waiting on the ack learns why (found by the fuzz tests).
      if (!StationsSnapshotRequest.safeParse(request).success) {
        ack({ v: 1, ok: false, error: 'stations:snapshot needs { v: 1 }' });
        return;
      }
      if (lapsed(principal)) return void socket.disconnect(true);
      // Every signed-in role may ask; the matrix's `list` scope filters an operator's answer.
      const refused = refusal(SOCKET_EVENT_MATRIX['stations:snapshot'], principal);
      ack({ v: 1, stations: refused ? [] : visibleStations(principal, registry.list()) });
    });
    socket.on('station:watch', (request, ...rest: unknown[]) => {
      const ack = lastAck<StationWatchReply>(request, rest);
      if (!ack) return;
      const parsed = StationWatchRequest.safeParse(request);
      if (!parsed.success) {
        ack({ v: 1, ok: false, error: 'station:watch needs { v: 1, stationId }' });
        return;
      }
      const { stationId } = parsed.data;
      if (lapsed(principal)) return void socket.disconnect(true);
      const refused = refusal(SOCKET_EVENT_MATRIX['station:watch'], principal, stationId);
      if (refused) {
        ack({ v: 1, ok: false, error: refused.message });
        return;
      }
      void (async () => {
        await socket.join(stationRoom(stationId));
        const station = await options.stationDetail(stationId);
        ack(
          station
            ? { v: 1, ok: true, station }
            : { v: 1, ok: false, error: `Station ${stationId} is not known` },
        );
      })().catch((err: unknown) => {
        app.log.warn({ err, stationId }, 'station:watch failed');
        ack({ v: 1, ok: false, error: 'The line state could not be read: try again' });
      });
    });
  });
  io.engine.on(
    'connection_error',
    (err: { message: string; req?: IncomingMessage; context?: { message?: unknown } }) =>
      app.log.warn(
        {
          reason: err.context?.message ?? err.message,
          origin: err.req?.headers.origin,
          address: err.req && clientAddress(err.req),
        },
        'socket.io connection refused',
      ),
  );

  const relay = (station: ReturnType<StationRegistry['list']>[number]) =>
    // Each instance tells its own clients, from its own registry: no duplicates across instances.
    io.local
      .to(STATIONS_ROOM)
      .to(stationUpdatesRoom(station.stationId))
      .emit('station:update', { v: 1, station });
  registry.on('update', relay);

  // Before Fastify closes the HTTP server: drop websockets so its close does not wait on them.
  // (io.close() would also close the HTTP server, which Fastify does itself.)
  app.addHook('preClose', async () => {
    registry.off('update', relay);
    io.disconnectSockets(true);
    io.engine.close();
  });
  app.decorate('io', io);
  return io;
}
