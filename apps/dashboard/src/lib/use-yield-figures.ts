'use client';

import type { AnalyticsSettingsResponse, ParetoBy } from '@station/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { shiftOver } from './shift-window';
import { fetchAnalyticsSettings, fetchShiftFigures, type ShiftFigures } from './yield-client';

/** A result heard live is counted once it has settled: at most one refetch per this. */
export const LIVE_REFETCH_MS = 1_000;
/** Even with nothing heard: units per hour moves with the clock, and shifts end. */
export const IDLE_REFETCH_MS = 60_000;

export interface YieldFigures {
  settings: AnalyticsSettingsResponse | null;
  /** The last figures that arrived: kept on screen while newer ones load. */
  figures: ShiftFigures | null;
  /** Why the last request failed; the previous figures stay. */
  error: string | null;
  loading: boolean;
  /** Ask now (after an action, or when the Pareto grouping changes). */
  refresh: () => void;
}

/**
 * The current shift's figures, fetched again about a second after `liveSignal` changes (a stored
 * result or a slot status on the socket): the first change starts the timer, later ones within
 * it ride along, so a busy line refetches once a second, not once per result.
 */
export function useYieldFigures(
  serverUrl: string,
  liveSignal: string,
  paretoBy: ParetoBy,
  onSignedOut: () => void,
): YieldFigures {
  const [settings, setSettings] = useState<AnalyticsSettingsResponse | null>(null);
  const [figures, setFigures] = useState<ShiftFigures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  // What the latest render knows, for requests started by timers.
  const latest = useRef({ settings, paretoBy, onSignedOut, request: 0 });
  useEffect(() => {
    Object.assign(latest.current, { settings, paretoBy, onSignedOut });
  }, [settings, paretoBy, onSignedOut]);

  const refresh = useCallback(() => {
    const request = (latest.current.request += 1);
    const current = () => request === latest.current.request;
    setLoading(true);
    void (async () => {
      let frame = latest.current.settings;
      if (!frame || shiftOver(frame.currentShift, Date.now())) {
        const answer = await fetchAnalyticsSettings(serverUrl);
        if (!answer.ok) {
          if (current()) fail(answer.message, answer.signedOut);
          return;
        }
        frame = answer.value;
      }
      const answer = await fetchShiftFigures(
        serverUrl,
        frame.currentShift,
        latest.current.paretoBy,
      );
      if (!current()) return;
      if (!answer.ok) {
        fail(answer.message, answer.signedOut);
        return;
      }
      setSettings(frame);
      setFigures(answer.value);
      setError(null);
      setLoading(false);
    })();
    function fail(message: string, signedOut?: true) {
      setError(message);
      setLoading(false);
      if (signedOut) latest.current.onSignedOut();
    }
  }, [serverUrl]);

  // At first, and whenever the Pareto grouping changes: at once.
  useEffect(refresh, [refresh, paretoBy]);

  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      refresh();
    }, LIVE_REFETCH_MS);
  }, [liveSignal, refresh]);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  useEffect(() => {
    const timer = setInterval(refresh, IDLE_REFETCH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  return { settings, figures, error, loading, refresh };
}
