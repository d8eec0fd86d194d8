import {
  FlashProgressBatch,
  FlashResultEvent,
  SlotStatusEvent,
  StationUpdateEvent,
  StationsSnapshot,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@station/contracts';
import type { Dispatch } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { describeIssues } from './describe-issues';
import type { LineAction } from './line-state';
import { readWatchReply, WATCH_RETRY_MS } from './watch-reply';

const ACK_TIMEOUT_MS = 5_000;
/** The `connect_error` message of a handshake without a valid session (the contract's code). */
const UNAUTHENTICATED = 'UNAUTHENTICATED';

export interface LineSocket {
  /** Follow these stations' flashes (now, and again after every reconnect). */
  follow(stationIds: readonly string[]): void;
  close(): void;
}

/**
 * The live half of the line: station updates, and the flashes of every station shown. Each
 * station is watched (`station:watch`: the server joins this socket to its room, then reads its
 * line state for the ack) on every connection, so a screen opened or reconnected mid-flash shows
 * what every other screen shows.
 */
export function openLineSocket(
  serverUrl: string,
  dispatch: Dispatch<LineAction>,
  options: {
    reconnectionDelayMax: number;
    onConnect: () => void;
    /** The server refused this browser's session (none, expired or signed out elsewhere). */
    onUnauthenticated: () => void;
  },
): LineSocket {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(serverUrl, {
    reconnectionDelayMax: options.reconnectionDelayMax,
    // The session cookie rides on the handshake (the server's site is the dashboard's).
    withCredentials: true,
    // No long-polling: several server instances then need no sticky sessions (each request of a
    // polling client must reach the instance holding its session).
    transports: ['websocket'],
  });
  const wanted = new Set<string>();
  let watched = new Set<string>(); // on the current connection
  let connection = 0;
  let watchSeq = 0;
  let closed = false;
  const retries = new Set<ReturnType<typeof setTimeout>>();

  const watch = (stationId: string) => {
    watched.add(stationId);
    const watchId = (watchSeq += 1);
    const sentOn = connection;
    dispatch({ type: 'watch-start', stationId, watchId });
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit('station:watch', { v: 1, stationId }, (error: Error | null, reply: unknown) => {
        if (closed || sentOn !== connection) return; // that link is gone; the next one re-watches
        const outcome = readWatchReply(stationId, error, reply, ACK_TIMEOUT_MS);
        if (outcome.ok) {
          dispatch({ type: 'watch-reply', watchId, station: outcome.station });
          return;
        }
        dispatch({ type: 'watch-failed', stationId, watchId, message: outcome.message });
        watched.delete(stationId);
        const retry = setTimeout(() => {
          retries.delete(retry);
          if (!closed && sentOn === connection && !watched.has(stationId)) watch(stationId);
        }, WATCH_RETRY_MS);
        retries.add(retry);
      });
  };

  const watchMissing = () => {
    if (!socket.connected) return;
    for (const stationId of wanted) if (!watched.has(stationId)) watch(stationId);
  };

  const follow = (stationIds: readonly string[]) => {
    for (const stationId of stationIds) wanted.add(stationId);
    watchMissing();
  };

  /** Validates a live message; a bad one is shown on screen, never thrown. */
  const onValid =
    <T>(schema: z.ZodType<T>, what: string, handle: (value: T) => void) =>
    (message: unknown) => {
      const parsed = schema.safeParse(message);
      if (parsed.success) handle(parsed.data);
      else
        dispatch({
          type: 'live-error',
          message: `Ignored ${what} the dashboard does not understand: ${describeIssues(parsed.error)}`,
        });
    };

  socket.on('connect', () => {
    connection += 1;
    watched = new Set();
    dispatch({ type: 'link', link: 'live' });
    options.onConnect();
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit('stations:snapshot', { v: 1 }, (error: Error | null, snapshot: unknown) => {
        if (error) return; // the health poll carries the list too
        onValid(StationsSnapshot, 'a station list', ({ stations }) => {
          dispatch({ type: 'station-snapshot', stations });
          follow(stations.map((s) => s.stationId));
        })(snapshot);
      });
    watchMissing();
  });
  socket.on('disconnect', (reason) => {
    dispatch({ type: 'link', link: 'reconnecting' });
    // A stopping server drops every socket itself, and socket.io does not retry those on its
    // own: without this, a restarted server would never be live on this screen again.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error) => {
    dispatch({ type: 'link', link: 'reconnecting' });
    // A refusal by the server's auth middleware is final (socket.io does not retry it): only
    // signing in again helps.
    if (error.message === UNAUTHENTICATED) options.onUnauthenticated();
  });
  socket.on(
    'station:update',
    onValid(StationUpdateEvent, 'a station update', ({ station }) => {
      dispatch({ type: 'station-update', station });
      follow([station.stationId]);
    }),
  );
  socket.on(
    'flash:progress',
    // One event per station batch; React renders the batch's dispatches once.
    onValid(FlashProgressBatch, 'flash progress', ({ events }) => {
      for (const event of events) dispatch({ type: 'flash', event: { type: 'progress', event } });
    }),
  );
  socket.on(
    'flash:result',
    onValid(FlashResultEvent, 'a flash result', (event) =>
      dispatch({ type: 'flash', event: { type: 'result', event } }),
    ),
  );
  socket.on(
    'slot:status',
    onValid(SlotStatusEvent, 'a slot status', (event) =>
      dispatch({ type: 'flash', event: { type: 'slot-status', event } }),
    ),
  );

  return {
    follow,
    close() {
      closed = true;
      for (const retry of retries) clearTimeout(retry);
      socket.disconnect();
    },
  };
}
