'use client';

import { AlertChangedEvent, AlertsResponse } from '@station/contracts';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { apiRequest } from './api-request';
import { readAnswer } from './api-result';
import { describeIssues } from './describe-issues';

/** A backstop for an event lost while the socket reconnected (it also re-reads on connect). */
const REREAD_MS = 60_000;

export interface AlertsView {
  /** The server's alerts; null until first read. */
  alerts: AlertsResponse | null;
  /** Why they could not be read, or an event was not understood. */
  error: string | null;
}

/**
 * The alerts firing on the line (docs/operations.md "Alerts"): read from `GET /api/alerts`, then
 * replaced by each `alert:changed` the server sends to supervisors and up, on a socket of its own
 * (the line socket is the line's). Off (no request, no socket) when `enabled` is false.
 */
export function useAlerts(serverUrl: string, enabled = true): AlertsView {
  const [view, setView] = useState<AlertsView>({ alerts: null, error: null });
  useEffect(() => {
    if (!enabled) return;
    let closed = false;
    const read = async () => {
      const result = readAnswer(
        await apiRequest(serverUrl, '/api/alerts'),
        AlertsResponse,
        'alerts',
      );
      if (closed) return;
      setView((before) =>
        result.ok ? { alerts: result.value, error: null } : { ...before, error: result.message },
      );
    };
    const socket = io(serverUrl, { withCredentials: true, transports: ['websocket'] });
    socket.on('connect', () => void read());
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('alert:changed', (event: unknown) => {
      const parsed = AlertChangedEvent.safeParse(event);
      if (!parsed.success) {
        setView((before) => ({
          ...before,
          error: `An alert event was not understood: ${describeIssues(parsed.error)}`,
        }));
        return;
      }
      const { v: _v, fired: _fired, cleared: _cleared, ...alerts } = parsed.data;
      setView({ alerts, error: null });
    });
    const timer = setInterval(() => void read(), REREAD_MS);
    return () => {
      closed = true;
      clearInterval(timer);
      socket.disconnect();
    };
  }, [serverUrl, enabled]);
  return view;
}
