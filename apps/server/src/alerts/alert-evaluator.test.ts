// The evaluator over hand-made sources (no database): a read that fails or hangs makes the state
// unknown without throwing and keeps the last known alerts; the next good read brings it back.
import type { AlertChangedEvent, StationDetail } from '@station/contracts';
import { createLogger } from '@station/logger';
import { describe, expect, it } from 'vitest';
import { AlertEvaluator } from './alert-evaluator';
import type { WindowFigures } from './alert-inputs';
import type { AlertSources } from './read-alert-inputs';

const NOW = new Date('2026-11-27T12:00:00Z');
const detail = (connected: boolean): StationDetail => ({
  stationId: 'jig-1',
  hostname: 'pc',
  version: '1',
  connected,
  lastSeenAt: NOW.toISOString(),
  slots: [],
  line: [],
});

function harness() {
  const state = { connected: false, fail: null as 'throw' | 'hang' | null };
  const events: AlertChangedEvent[] = [];
  const figures = (): Promise<ReadonlyMap<string, WindowFigures>> =>
    state.fail === 'throw'
      ? Promise.reject(new Error('connection refused'))
      : state.fail === 'hang'
        ? new Promise(() => {})
        : Promise.resolve(new Map());
  const sources: AlertSources = {
    stationIds: () => ['jig-1'],
    detail: () => Promise.resolve(detail(state.connected)),
    heartbeat: () => undefined,
    figures,
  };
  const evaluator = new AlertEvaluator({
    sources,
    thresholds: {
      windowMs: 3_600_000,
      yieldTarget: 0.9,
      minUnits: 1,
      retestRateMax: 1,
      silentMs: 60_000,
      silentNeighbourUnits: 1,
      resultsWaitingMin: 1,
      holdMs: {
        yield_below_target: 0,
        retest_rate_high: 0,
        slot_silent: 0,
        slot_suspect: 0,
        station_offline: 0,
        results_waiting: 0,
      },
    },
    intervalMs: 1000,
    deadlineMs: 50,
    logger: createLogger({ name: 'alerts-test', level: 'silent' }),
    changed: (event) => events.push(event),
    now: () => NOW,
  });
  return { state, events, evaluator };
}

describe('the alert evaluator', () => {
  it('fires, goes unknown on a failed or late read keeping the last alerts, and recovers', async () => {
    const { state, events, evaluator } = harness();
    await evaluator.evaluate();
    expect(evaluator.current()).toMatchObject({
      state: 'ok',
      alerts: [expect.objectContaining({ id: 'station_offline:jig-1' })],
    });
    expect(events.map((e) => [e.state, e.fired, e.cleared])).toEqual([
      ['ok', ['station_offline:jig-1'], []],
    ]);

    state.fail = 'throw';
    await expect(evaluator.evaluate()).resolves.toBeUndefined();
    expect(evaluator.current()).toMatchObject({
      state: 'unknown',
      error: expect.stringContaining('could not be read'),
      alerts: [expect.objectContaining({ id: 'station_offline:jig-1' })],
    });
    state.fail = 'hang';
    await evaluator.evaluate();
    expect(evaluator.current().state).toBe('unknown');
    // Told once when it went unknown, not at every failed evaluation.
    expect(events.map((e) => e.state)).toEqual(['ok', 'unknown']);

    state.fail = null;
    state.connected = true;
    await evaluator.evaluate();
    expect(evaluator.current()).toMatchObject({ state: 'ok', error: null, alerts: [] });
    expect(events.at(-1)).toMatchObject({
      state: 'ok',
      fired: [],
      cleared: ['station_offline:jig-1'],
    });
  });
});
