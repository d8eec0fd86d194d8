'use client';

import { useEffect, useReducer, useRef, useState, type Dispatch } from 'react';
import { fetchHealth } from './health-client';
import { initialLineState, lineReducer, type LineAction, type LineState } from './line-state';
import { openLineSocket, type LineSocket } from './line-socket';

/** How often the health panel asks again; station changes arrive live in between. */
export const HEALTH_REFRESH_MS = 5_000;

/**
 * The line as the server sees it: health polled, stations and every shown station's flashes pushed
 * over socket.io. The dispatch lets slot tiles record their own scans and POST answers.
 */
export function useLineStatus(serverUrl: string): [LineState, Dispatch<LineAction>] {
  const [state, dispatch] = useReducer(lineReducer, initialLineState);
  // Bumped on every socket (re)connect: a server that is back is re-checked at once, not in 5 s.
  const [connects, setConnects] = useState(0);
  const live = useRef<LineSocket | null>(null);

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
    const socket = openLineSocket(serverUrl, dispatch, {
      reconnectionDelayMax: HEALTH_REFRESH_MS,
      onConnect: () => setConnects((count) => count + 1),
    });
    live.current = socket;
    return () => {
      live.current = null;
      socket.close();
    };
  }, [serverUrl]);

  // Stations known from the health poll are followed too, not only those the socket announced.
  const stationIds = state.stations.map((s) => s.stationId).join('\n');
  useEffect(() => {
    live.current?.follow(stationIds.split('\n').filter(Boolean));
  }, [stationIds]);

  return [state, dispatch];
}
