// The alert thresholds from the server's configuration (README settings, docs/operations.md).
import type { AlertThresholds } from '@station/contracts';
import type { ServerEnv } from '../env';

export function alertThresholds(env: ServerEnv): AlertThresholds {
  return {
    windowMs: env.ALERT_WINDOW_MS,
    yieldTarget: env.ALERT_YIELD_TARGET,
    minUnits: env.ALERT_MIN_UNITS,
    retestRateMax: env.ALERT_RETEST_RATE_MAX,
    silentMs: env.ALERT_SILENT_MS,
    silentNeighbourUnits: env.ALERT_SILENT_NEIGHBOUR_UNITS,
    resultsWaitingMin: env.ALERT_RESULTS_WAITING_MIN,
    // The windowed figures and the line's own judgement hold already; presence and backlog
    // wait out a restart.
    holdMs: {
      yield_below_target: 0,
      retest_rate_high: 0,
      slot_silent: 0,
      slot_suspect: 0,
      station_offline: env.ALERT_HOLD_MS,
      results_waiting: env.ALERT_HOLD_MS,
    },
  };
}
