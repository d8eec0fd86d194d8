'use client';

import {
  StationUpdateEvent,
  StationsSnapshot,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@station/contracts';
import { useEffect, useReducer } from 'react';
import { io, type Socket } from 'socket.io-client';
import { describeIssues } from './describe-issues';
import { fetchHealth } from './health-client';
import { initialLineState, lineReducer, type LineState } from './line-state';

/** How often the health panel asks again; station changes arrive live in between. */
export const HEALTH_REFRESH_MS = 5_000;
const SNAPSHOT_ACK_TIMEOUT_MS = 5_000;

/** The line as the server sees it: health polled, stations pushed over socket.io. */
export function useLineStatus(serverUrl: string): LineState {
  const [state, dispatch] = useReducer(lineReducer, initialLineState);

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
  }, [serverUrl]);

  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(serverUrl, {
      reconnectionDelayMax: HEALTH_REFRESH_MS,
    });
    socket.on('connect', () => {
      dispatch({ type: 'link', link: 'live' });
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
    socket.on('disconnect', () => dispatch({ type: 'link', link: 'reconnecting' }));
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
    return () => {
      socket.disconnect();
    };
  }, [serverUrl]);

  return state;
}
