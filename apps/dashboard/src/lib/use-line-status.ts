'use client';

import {
  FlashProgressEvent,
  FlashResultEvent,
  StationUpdateEvent,
  StationsSnapshot,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@station/contracts';
import { useEffect, useReducer, useState, type Dispatch } from 'react';
import { io, type Socket } from 'socket.io-client';
import { describeIssues } from './describe-issues';
import { fetchHealth } from './health-client';
import { initialLineState, lineReducer, type LineAction, type LineState } from './line-state';

/** How often the health panel asks again; station changes arrive live in between. */
export const HEALTH_REFRESH_MS = 5_000;
const SNAPSHOT_ACK_TIMEOUT_MS = 5_000;

/**
 * The line as the server sees it: health polled, stations and flashes pushed over socket.io. The
 * dispatch lets slot tiles record their own scans and POST answers in the same state.
 */
export function useLineStatus(serverUrl: string): [LineState, Dispatch<LineAction>] {
  const [state, dispatch] = useReducer(lineReducer, initialLineState);
  // Bumped on every socket (re)connect: a server that is back is re-checked at once, not in 5 s.
  const [connects, setConnects] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const look = async () => {
      try {
        const result = await fetchHealth(serverUrl, controller.signal);
        dispatch({ type: 'health', result, at: Date.now() });
      } catch {
        return; // aborted: the component is gone
      }
      timer = setTimeout(look, HEALTH_REFRESH_MS);
    };
    void look();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [serverUrl, connects]);

  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(serverUrl, {
      reconnectionDelayMax: HEALTH_REFRESH_MS,
    });
    socket.on('connect', () => {
      dispatch({ type: 'link', link: 'live' });
      setConnects((count) => count + 1);
      socket
        .timeout(SNAPSHOT_ACK_TIMEOUT_MS)
        .emit('stations:snapshot', { v: 1 }, (error: Error | null, snapshot: unknown) => {
          if (error) return; // the health poll carries the list too
          const parsed = StationsSnapshot.safeParse(snapshot);
          if (parsed.success)
            dispatch({ type: 'station-snapshot', stations: parsed.data.stations });
          else
            dispatch({
              type: 'live-error',
              message: `Ignored a station list the dashboard does not understand: ${describeIssues(parsed.error)}`,
            });
        });
    });
    socket.on('disconnect', (reason) => {
      dispatch({ type: 'link', link: 'reconnecting' });
      // A stopping server drops every socket itself, and socket.io does not retry those on its
      // own: without this, a restarted server would never be live on this screen again.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', () => dispatch({ type: 'link', link: 'reconnecting' }));
    socket.on('station:update', (event: unknown) => {
      const parsed = StationUpdateEvent.safeParse(event);
      if (parsed.success) dispatch({ type: 'station-update', station: parsed.data.station });
      else
        dispatch({
          type: 'live-error',
          message: `Ignored a station update the dashboard does not understand: ${describeIssues(parsed.error)}`,
        });
    });
    socket.on('flash:progress', (event: unknown) => {
      const parsed = FlashProgressEvent.safeParse(event);
      if (parsed.success) {
        const { stationId, slot } = parsed.data;
        dispatch({
          type: 'tile',
          stationId,
          slot,
          action: { type: 'progress', event: parsed.data },
        });
      } else
        dispatch({
          type: 'live-error',
          message: `Ignored flash progress the dashboard does not understand: ${describeIssues(parsed.error)}`,
        });
    });
    socket.on('flash:result', (event: unknown) => {
      const parsed = FlashResultEvent.safeParse(event);
      if (parsed.success) {
        const { stationId, slot } = parsed.data;
        dispatch({ type: 'tile', stationId, slot, action: { type: 'result', event: parsed.data } });
      } else
        dispatch({
          type: 'live-error',
          message: `Ignored a flash result the dashboard does not understand: ${describeIssues(parsed.error)}`,
        });
    });
    return () => {
      socket.disconnect();
    };
  }, [serverUrl]);

  return [state, dispatch];
}
