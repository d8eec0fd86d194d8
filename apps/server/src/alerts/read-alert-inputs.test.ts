import type { AlertThresholds, StationDetail } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { readAlertInputs, type AlertSources } from './read-alert-inputs';

const thresholds: AlertThresholds = {
  windowMs: 3_600_000,
  yieldTarget: 0.9,
  minUnits: 1,
  retestRateMax: 1,
  silentMs: 600_000,
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
};
const NOW = new Date('2026-11-27T10:00:00Z');

const known = (stationId: string, connected: boolean): StationDetail => ({
  stationId,
  hostname: 'pc-1',
  version: '1.0.0',
  connected,
  lastSeenAt: NOW.toISOString(),
  slots: [],
  line: [],
});

const sources = (details: Record<string, StationDetail | undefined>): AlertSources => ({
  stationIds: () => Object.keys(details),
  detail: (id) => Promise.resolve(details[id]),
  heartbeat: () => undefined,
  figures: () => Promise.resolve(new Map()),
});

describe('readAlertInputs', () => {
  it('keeps a station that holds a credential but was never reported, as not connected', async () => {
    const inputs = await readAlertInputs(
      sources({ 'jig-1': known('jig-1', true), 'jig-ghost': undefined }),
      thresholds,
      NOW,
    );
    expect(inputs.map((i) => [i.stationId, i.connected, i.reported])).toEqual([
      ['jig-1', true, true],
      ['jig-ghost', false, false],
    ]);
    expect(inputs[1]!.slots).toEqual([]);
  });
});
