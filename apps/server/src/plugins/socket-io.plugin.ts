import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import {
  FLASH_ROOM,
  STATIONS_ROOM,
  StationsSnapshotRequest,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@station/contracts';
import type { StationRegistry } from '../services/station-registry.service';

export type SocketServer = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * Attaches socket.io to Fastify's HTTP server (our own few lines rather than fastify-socket.io,
 * whose close order fights Fastify's) and relays registry updates to the `stations` room.
 */
export function attachSocketIo(
  app: FastifyInstance,
  options: { corsOrigins: string[]; registry: StationRegistry },
): SocketServer {
  const { registry } = options;
  const io: SocketServer = new Server(app.server, {
    cors: { origin: options.corsOrigins, credentials: true },
    serveClient: false,
  });

  io.on('connection', (socket) => {
    socket.on('error', (err) => app.log.warn({ err, socketId: socket.id }, 'socket error'));
    void socket.join([STATIONS_ROOM, FLASH_ROOM]);
    socket.on('stations:snapshot', (request, ack) => {
      if (typeof ack !== 'function' || !StationsSnapshotRequest.safeParse(request).success) return;
      ack({ v: 1, stations: registry.list() });
    });
  });
  io.engine.on('connection_error', (err: { message: string }) =>
    app.log.warn({ reason: err.message }, 'socket.io connection refused'),
  );

  const relay = (station: ReturnType<StationRegistry['list']>[number]) =>
    io.to(STATIONS_ROOM).emit('station:update', { v: 1, station });
  registry.on('update', relay);

  // Before Fastify closes the HTTP server: drop websockets so its close does not wait on them.
  // (io.close() would also close the HTTP server, which Fastify does itself.)
  app.addHook('preClose', async () => {
    registry.off('update', relay);
    io.disconnectSockets(true);
    io.engine.close();
  });
  return io;
}
