import { createAdapter } from '@socket.io/redis-adapter';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import {
  STATIONS_ROOM,
  StationsSnapshotRequest,
  StationWatchRequest,
  stationRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type StationDetail,
} from '@station/contracts';
import type { StationRegistry } from '../stations/station-registry.service';

export type SocketServer = Server<ClientToServerEvents, ServerToClientEvents>;

declare module 'fastify' {
  interface FastifyInstance {
    /** socket.io on the same HTTP server; emits reach every server instance's clients. */
    io: SocketServer;
  }
}

export interface SocketIoOptions {
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
}

/**
 * Decorates Fastify with socket.io (our own few lines rather than fastify-socket.io, whose close
 * order fights Fastify's). Every client joins the stations room; `station:watch` joins one
 * station's room (its flash events) and answers with its line state, read after joining so no
 * event falls between the two.
 */
export function registerSocketIo(app: FastifyInstance, options: SocketIoOptions): SocketServer {
  const { registry } = options;
  const io: SocketServer = new Server(app.server, {
    cors: { origin: options.corsOrigins, credentials: true },
    serveClient: false,
    ...(options.adapter
      ? {
          adapter: createAdapter(options.adapter.pub, options.adapter.sub, {
            key: options.adapter.key,
          }),
        }
      : {}),
  });

  io.on('connection', (socket) => {
    socket.on('error', (err) => app.log.warn({ err, socketId: socket.id }, 'socket error'));
    void socket.join(STATIONS_ROOM);
    socket.on('stations:snapshot', (request, ack) => {
      if (typeof ack !== 'function' || !StationsSnapshotRequest.safeParse(request).success) return;
      ack({ v: 1, stations: registry.list() });
    });
    socket.on('station:watch', (request, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = StationWatchRequest.safeParse(request);
      if (!parsed.success) {
        ack({ v: 1, ok: false, error: 'station:watch needs { v: 1, stationId }' });
        return;
      }
      const { stationId } = parsed.data;
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
  io.engine.on('connection_error', (err: { message: string }) =>
    app.log.warn({ reason: err.message }, 'socket.io connection refused'),
  );

  const relay = (station: ReturnType<StationRegistry['list']>[number]) =>
    // Each instance tells its own clients, from its own registry: no duplicates across instances.
    io.local.to(STATIONS_ROOM).emit('station:update', { v: 1, station });
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
