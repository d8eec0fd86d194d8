// The six rules on hand-made inputs: each fires, stays quiet short of its threshold, and clears
// when its cause goes (the same station with the cause removed yields no alert). Nothing mocked:
// the rules are pure.
import type { AlertThresholds } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import type { SlotAlertInput, StationAlertInput } from './alert-inputs';
import {
  evaluateRules,
  resultsWaiting,
  retestRateHigh,
  slotSilent,
  slotSuspect,
  stationOffline,
  yieldBelowTarget,
} from './alert-rules';

const NOW = new Date('2026-11-27T12:00:00Z');
const MIN = 60_000;
const thresholds: AlertThresholds = {
  windowMs: 60 * MIN,
  yieldTarget: 0.9,
  minUnits: 10,
  retestRateMax: 0.2,
  silentMs: 10 * MIN,
  silentNeighbourUnits: 5,
  resultsWaitingMin: 3,
  holdMs: {
    yield_below_target: 0,
    retest_rate_high: 0,
    slot_silent: 0,
    slot_suspect: 0,
    station_offline: 0,
    results_waiting: 0,
  },
};

const slot = (n: number, over: Partial<SlotAlertInput> = {}): SlotAlertInput => ({
  slot: n,
  status: 'active',
  statusReason: null,
  online: true,
  recentUnits: 2,
  lastEndedAt: new Date(NOW.getTime() - MIN),
  ...over,
});
/** A healthy station: every figure inside its threshold. */
const station = (over: Partial<StationAlertInput> = {}): StationAlertInput => ({
  stationId: 'jig-1',
  connected: true,
  reported: true,
  unconfirmedResults: 0,
  window: { units: 40, firstPassYield: 0.95, retestRate: 0.05 },
  slots: [slot(1), slot(2), slot(3)],
  ...over,
});

describe('a healthy station', () => {
  it('raises no alert', () => {
    expect(evaluateRules([station()], thresholds, NOW)).toEqual([]);
  });
});

describe('yield below target', () => {
  it('fires below the target with enough units, naming the figures', () => {
    const low = station({ window: { units: 20, firstPassYield: 0.8, retestRate: 0.1 } });
    expect(yieldBelowTarget(low, thresholds, NOW)).toEqual([
      expect.objectContaining({
        id: 'yield_below_target:jig-1',
        severity: 'critical',
        slot: null,
        evidence: { firstPassYield: 0.8, target: 0.9, units: 20 },
        message: expect.stringContaining('80 %'),
        action: expect.stringContaining('Pareto'),
      }),
    ]);
  });
  it('does not fire on too few units (one failure at shift start)', () => {
    const early = station({ window: { units: 2, firstPassYield: 0.5, retestRate: 0.5 } });
    expect(yieldBelowTarget(early, thresholds, NOW)).toEqual([]);
  });
  it('clears at the target', () => {
    const met = station({ window: { units: 20, firstPassYield: 0.9, retestRate: 0 } });
    expect(yieldBelowTarget(met, thresholds, NOW)).toEqual([]);
  });
});

describe('retest rate over threshold', () => {
  it('fires above the limit', () => {
    const many = station({ window: { units: 30, firstPassYield: 0.95, retestRate: 0.5 } });
    expect(retestRateHigh(many, thresholds, NOW)).toEqual([
      expect.objectContaining({
        id: 'retest_rate_high:jig-1',
        evidence: { retestRate: 0.5, limit: 0.2, units: 30 },
      }),
    ]);
  });
  it('does not fire at the limit or with too few units', () => {
    expect(
      retestRateHigh(
        station({ window: { units: 30, firstPassYield: 1, retestRate: 0.2 } }),
        thresholds,
        NOW,
      ),
    ).toEqual([]);
    expect(
      retestRateHigh(
        station({ window: { units: 3, firstPassYield: 1, retestRate: 2 } }),
        thresholds,
        NOW,
      ),
    ).toEqual([]);
  });
});

describe('station offline', () => {
  it('fires when the heartbeat is gone and clears when it is back', () => {
    expect(stationOffline(station({ connected: false }), thresholds, NOW)).toEqual([
      expect.objectContaining({ id: 'station_offline:jig-1', severity: 'critical' }),
    ]);
    expect(stationOffline(station({ connected: true }), thresholds, NOW)).toEqual([]);
  });
  it('fires for a credential no agent has ever used, and says so', () => {
    const [alert] = stationOffline(
      station({ connected: false, reported: false, slots: [] }),
      thresholds,
      NOW,
    );
    expect(alert).toMatchObject({ id: 'station_offline:jig-1', severity: 'critical' });
    expect(alert!.message).toContain('no agent has reported');
    const [stopped] = stationOffline(station({ connected: false }), thresholds, NOW);
    expect(stopped!.message).toContain('stopped reporting');
  });
  it('raises no slot-silent alert for its slots: the station is the cause', () => {
    const gone = station({
      connected: false,
      slots: [slot(1, { recentUnits: 0, lastEndedAt: null }), slot(2, { recentUnits: 9 })],
    });
    expect(evaluateRules([gone], thresholds, NOW).map((a) => a.kind)).toEqual(['station_offline']);
  });
});

describe('results waiting to be stored', () => {
  it('fires at the threshold and not below it', () => {
    expect(resultsWaiting(station({ unconfirmedResults: 3 }), thresholds, NOW)).toEqual([
      expect.objectContaining({
        id: 'results_waiting:jig-1',
        evidence: { waiting: 3, threshold: 3 },
      }),
    ]);
    expect(resultsWaiting(station({ unconfirmedResults: 2 }), thresholds, NOW)).toEqual([]);
  });
});

describe('suspect slot', () => {
  it('fires per suspect slot with the line judgement as its reason, and clears on release', () => {
    const suspect = station({
      slots: [
        slot(1),
        slot(2, { status: 'suspect', statusReason: '3 different modules failed here.' }),
      ],
    });
    expect(slotSuspect(suspect, thresholds, NOW)).toEqual([
      expect.objectContaining({
        id: 'slot_suspect:jig-1/2',
        slot: 2,
        message: expect.stringContaining('3 different modules failed here.'),
      }),
    ]);
    expect(slotSuspect(station(), thresholds, NOW)).toEqual([]);
  });
});

describe('slot silent while its neighbours work', () => {
  const quiet = { recentUnits: 0, lastEndedAt: new Date(NOW.getTime() - 15 * MIN) };
  it('fires for an active slot idle past the window while the others finished enough', () => {
    const line = station({
      slots: [slot(1, quiet), slot(2, { recentUnits: 3 }), slot(3, { recentUnits: 2 })],
    });
    expect(slotSilent(line, thresholds, NOW)).toEqual([
      expect.objectContaining({
        id: 'slot_silent:jig-1/1',
        slot: 1,
        evidence: { neighbourUnits: 5, minutesSilent: 15 },
      }),
    ]);
  });
  it('fires for a slot that never finished anything', () => {
    const line = station({
      slots: [slot(1, { recentUnits: 0, lastEndedAt: null }), slot(2, { recentUnits: 6 })],
    });
    expect(slotSilent(line, thresholds, NOW)).toEqual([
      expect.objectContaining({ id: 'slot_silent:jig-1/1', evidence: { neighbourUnits: 6 } }),
    ]);
  });
  it('does not fire while the neighbours are idle too, inside the window, or for a slot out of rotation or unplugged', () => {
    const idle = station({
      slots: [slot(1, quiet), slot(2, { recentUnits: 2 }), slot(3, { recentUnits: 2 })],
    });
    expect(slotSilent(idle, thresholds, NOW)).toEqual([]);
    const recent = { recentUnits: 0, lastEndedAt: new Date(NOW.getTime() - 5 * MIN) };
    const busy = [slot(2, { recentUnits: 5 }), slot(3, { recentUnits: 5 })];
    expect(slotSilent(station({ slots: [slot(1, recent), ...busy] }), thresholds, NOW)).toEqual([]);
    for (const status of ['suspect', 'disabled', 'offline'] as const)
      expect(
        slotSilent(station({ slots: [slot(1, { ...quiet, status }), ...busy] }), thresholds, NOW),
      ).toEqual([]);
    expect(
      slotSilent(
        station({ slots: [slot(1, { ...quiet, online: false }), ...busy] }),
        thresholds,
        NOW,
      ),
    ).toEqual([]);
  });
  it('clears once the slot finishes a unit', () => {
    const busy = [slot(2, { recentUnits: 5 }), slot(3, { recentUnits: 5 })];
    const working = slot(1, { recentUnits: 1, lastEndedAt: new Date(NOW.getTime() - 1000) });
    expect(slotSilent(station({ slots: [working, ...busy] }), thresholds, NOW)).toEqual([]);
  });
});
