// Unit test of the line view's state transitions; nothing is mocked.
import type { HealthResponse, StationStatus } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { initialLineState, lineReducer, tileOf, type LineState } from './line-state';

const station = (stationId: string, connected = true): StationStatus => ({
  stationId,
  hostname: 'jig-pc',
  version: '0.1.0',
  connected,
  lastSeenAt: '2030-01-01T00:00:00.000Z',
  slots: [{ slot: 1, port: '/dev/ttyUSB0', adapter: null, power: 'manual' }],
});

const healthy = (stations: StationStatus[]): HealthResponse => ({
  status: 'ok',
  postgres: { ok: true },
  redis: { ok: true },
  stations,
});

describe('lineReducer', () => {
  it('takes stations from a health report', () => {
    const next = lineReducer(initialLineState, {
      type: 'health',
      result: { kind: 'ok', health: healthy([station('a')]) },
      at: 1,
    });
    expect(next.stations.map((s) => s.stationId)).toEqual(['a']);
    expect(next.checkedAt).toBe(1);
  });

  it('keeps the last known stations when the server becomes unreachable', () => {
    const known: LineState = { ...initialLineState, stations: [station('a')] };
    const next = lineReducer(known, {
      type: 'health',
      result: { kind: 'unreachable', message: 'Server not reachable at http://x' },
      at: 2,
    });
    expect(next.stations).toEqual(known.stations);
    expect(next.health?.kind).toBe('unreachable');
  });

  it('shows a bad live message until a good update arrives', () => {
    const warned = lineReducer(initialLineState, { type: 'live-error', message: 'Ignored …' });
    expect(warned.liveError).toBe('Ignored …');
    const updated = lineReducer(warned, { type: 'station-update', station: station('a', false) });
    expect(updated.liveError).toBeNull();
    expect(updated.stations).toEqual([station('a', false)]);
  });

  it('tracks the socket link', () => {
    expect(lineReducer(initialLineState, { type: 'link', link: 'live' }).link).toBe('live');
  });
});

describe('lineReducer tiles', () => {
  const imei = '861359031000019';
  it('routes a tile action to its own slot only', () => {
    const next = lineReducer(initialLineState, {
      type: 'tile',
      stationId: 'a',
      slot: 2,
      action: { type: 'submit', imei },
    });
    expect(tileOf(next, 'a', 2)).toEqual({ kind: 'submitting', imei, early: [] });
    expect(tileOf(next, 'a', 1)).toEqual({ kind: 'idle' });
    expect(tileOf(next, 'b', 2)).toEqual({ kind: 'idle' });
  });

  it('keeps the same state object when a tile ignores the action', () => {
    const next = lineReducer(initialLineState, {
      type: 'tile',
      stationId: 'a',
      slot: 1,
      action: { type: 'rejected', message: 'x' },
    });
    expect(next).toBe(initialLineState);
  });
});
