'use client';

import { useEffect, useMemo, useReducer, useRef, useState, type Dispatch } from 'react';
import { fetchHealth } from './health-client';
import { initialLineState, lineReducer, type LineAction, type LineState } from './line-state';
import { openLineSocket, type LineSocket } from './line-socket';
import { scopeLineAction, type StationScope } from './station-scope';

/** How often the health panel asks again; station changes arrive live in between. */
export const HEALTH_REFRESH_MS = 5_000;

/**
 * The line as the server sees it: health polled, stations and every shown station's flashes pushed
 * over socket.io, limited to the stations `scope` shows. The dispatch lets slot tiles record their
 * own scans and POST answers. `onUnauthenticated` runs when the server refuses the session.
 */
export function useLineStatus(
  serverUrl: string,
  scope: StationScope,
  onUnauthenticated: () => void,
): [LineState, Dispatch<LineAction>] {
  const [state, dispatchAny] = useReducer(lineReducer, initialLineState);
  // Stable per scope (by value): the effects below depend on it. What is out of scope never
  // reaches the state, so it is never shown nor watched.
  const only = scope.kind === 'one' ? scope.stationId : undefined;
  const dispatch = useMemo(
    () =>
      scopedDispatch(
        dispatchAny,
        only === undefined ? { kind: 'all' } : { kind: 'one', stationId: only },
      ),
    [only],
  );
  const signedOut = useRef(onUnauthenticated);
  useEffect(() => {
    signedOut.current = onUnauthenticated;
  }, [onUnauthenticated]);
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
  }, [serverUrl, connects, dispatch]);

  useEffect(() => {
    const socket = openLineSocket(serverUrl, dispatch, {
      reconnectionDelayMax: HEALTH_REFRESH_MS,
      onConnect: () => setConnects((count) => count + 1),
      onUnauthenticated: () => signedOut.current(),
    });
    live.current = socket;
    return () => {
      live.current = null;
      socket.close();
    };
  }, [serverUrl, dispatch]);

  // Stations known from the health poll are followed too, not only those the socket announced.
  const stationIds = state.stations.map((s) => s.stationId).join('\n');
  useEffect(() => {
    live.current?.follow(stationIds.split('\n').filter(Boolean));
  }, [stationIds]);

  return [state, dispatch];
}

function scopedDispatch(dispatch: Dispatch<LineAction>, scope: StationScope): Dispatch<LineAction> {
  return (action) => {
    const scoped = scopeLineAction(scope, action);
    if (scoped) dispatch(scoped);
  };
}
