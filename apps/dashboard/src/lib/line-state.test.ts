// Unit test of the line view's state transitions; nothing is mocked.
import type {
  FlashStage,
  HealthResponse,
  SlotCurrentAttempt,
  SlotLine,
  StationDetail,
  StationStatus,
} from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { idleTile, tileView, type FlashEvent } from './flash-tile';
import { initialLineState, lineReducer, tileOf, type LineState } from './line-state';

const station = (stationId: string, connected = true): StationStatus => ({
  stationId,
  hostname: 'jig-pc',
  version: '0.1.0',
  connected,
  lastSeenAt: '2030-01-01T00:00:00.000Z',
  slots: [{ slot: 1, port: '/dev/ttyUSB0', adapter: null, power: 'manual' }],
});

const IMEI = '861359031000019';

const progress = (
  attemptId: string,
  slot: number,
  stage: FlashStage,
  percent = 10,
  stationId = 'a',
): FlashEvent => ({
  type: 'progress',
  event: { v: 1, attemptId, stationId, slot, imei: IMEI, stage, percent },
});

const result = (attemptId: string, slot: number): FlashEvent => ({
  type: 'result',
  event: {
    v: 1,
    attemptId,
    stationId: 'a',
    slot,
    imei: IMEI,
    outcome: 'passed',
    errorCode: null,
    errorName: null,
    stage: 'postflight',
    reportedImei: IMEI,
    operatorHint: null,
    revisionBefore: null,
    revisionAfter: 'MC60CAR01A13',
    durationMs: 10_000,
    endedAt: '2030-01-01T00:01:00.000Z',
  },
});

const current = (attemptId: string, stage: FlashStage, percent: number): SlotCurrentAttempt => ({
  attemptId,
  imei: IMEI,
  stage,
  percent,
  startedAt: '2030-01-01T00:00:30.000Z',
});

const detail = (line: SlotLine[]): StationDetail => ({ ...station('a'), line });

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
    expect(tileView(tileOf(next, 'a', 2))).toEqual({ kind: 'submitting', imei });
    expect(tileOf(next, 'a', 1)).toBe(idleTile);
    expect(tileOf(next, 'b', 2)).toBe(idleTile);
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

  it('routes flash events to the tile of their station and slot', () => {
    const next = lineReducer(initialLineState, {
      type: 'flash',
      event: progress('x1', 2, 'write'),
    });
    expect(tileView(tileOf(next, 'a', 2))).toMatchObject({
      kind: 'running',
      attempt: { attemptId: 'x1', stage: 'write' },
    });
    expect(tileOf(next, 'a', 1)).toBe(idleTile);
  });
});

describe('lineReducer station watch', () => {
  const watching = (watchId = 1): LineState =>
    lineReducer(initialLineState, { type: 'watch-start', stationId: 'a', watchId });

  it("holds the station's flash events until its line state arrives, then replays them on it", () => {
    let state = watching();
    // Heard after the server joined the room: one was already in the line state, one is newer.
    state = lineReducer(state, { type: 'flash', event: progress('x1', 1, 'write', 40) });
    state = lineReducer(state, { type: 'flash', event: result('x1', 1) });
    expect(tileOf(state, 'a', 1)).toBe(idleTile);

    state = lineReducer(state, {
      type: 'watch-reply',
      watchId: 1,
      station: detail([
        { slot: 1, current: current('x1', 'write', 30), last: null },
        { slot: 2, current: current('y1', 'brom', 5), last: null },
      ]),
    });
    expect(tileView(tileOf(state, 'a', 1))).toMatchObject({
      kind: 'finished',
      result: { attemptId: 'x1' },
    });
    expect(tileView(tileOf(state, 'a', 2))).toMatchObject({
      kind: 'running',
      attempt: { attemptId: 'y1', stage: 'brom' },
    });
    expect(state.pendingWatches).toEqual({});
    expect(state.following).toEqual({ a: true });
    expect(state.stations.map((s) => s.stationId)).toEqual(['a']);
    expect(state.stations[0]).not.toHaveProperty('line');
  });

  it('passes events of other stations through while one is watched', () => {
    const state = lineReducer(watching(), {
      type: 'flash',
      event: progress('z1', 1, 'write', 10, 'b'),
    });
    expect(tileView(tileOf(state, 'b', 1)).kind).toBe('running');
  });

  it('ignores the reply of a watch a newer one replaced, and a failure of it', () => {
    let state = lineReducer(watching(1), { type: 'watch-start', stationId: 'a', watchId: 2 });
    const stale = detail([{ slot: 1, current: current('old', 'write', 10), last: null }]);
    expect(lineReducer(state, { type: 'watch-reply', watchId: 1, station: stale })).toBe(state);
    expect(
      lineReducer(state, { type: 'watch-failed', stationId: 'a', watchId: 1, message: 'x' }),
    ).toBe(state);
    state = lineReducer(state, { type: 'watch-reply', watchId: 2, station: detail([]) });
    expect(state.pendingWatches).toEqual({});
  });

  it('shows held events and says so when the watch fails, until a watch succeeds', () => {
    let state = lineReducer(watching(), { type: 'flash', event: progress('x1', 1, 'verify') });
    state = lineReducer(state, {
      type: 'watch-failed',
      stationId: 'a',
      watchId: 1,
      message: 'No answer following station a',
    });
    expect(state.watchErrors).toEqual({ a: 'No answer following station a' });
    expect(tileView(tileOf(state, 'a', 1)).kind).toBe('running');
    expect(state.pendingWatches).toEqual({});

    // The retry succeeds: the warning goes.
    state = lineReducer(state, { type: 'watch-start', stationId: 'a', watchId: 2 });
    state = lineReducer(state, { type: 'watch-reply', watchId: 2, station: detail([]) });
    expect(state.watchErrors).toEqual({});
  });

  it('is not following a station until its line state arrives', () => {
    expect(watching().following).toEqual({});
    const followed = lineReducer(watching(), {
      type: 'watch-reply',
      watchId: 1,
      station: detail([]),
    });
    expect(followed.following).toEqual({ a: true });
    // Watching again (a retry) and losing the link both stop it until the next reply.
    expect(
      lineReducer(followed, { type: 'watch-start', stationId: 'a', watchId: 2 }).following,
    ).toEqual({});
    expect(lineReducer(followed, { type: 'link', link: 'reconnecting' }).following).toEqual({});
  });

  it('stops holding when the link drops: that watch will never be answered', () => {
    let state = lineReducer(watching(), { type: 'flash', event: progress('x1', 1, 'verify') });
    state = lineReducer(state, { type: 'link', link: 'reconnecting' });
    expect(state.pendingWatches).toEqual({});
    expect(tileView(tileOf(state, 'a', 1)).kind).toBe('running');
  });
});
