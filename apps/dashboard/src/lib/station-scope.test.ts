// Unit test of which stations each role's line view takes in; nothing is mocked.
import { FLASH_STAGES, type SessionUser, type StationStatus } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import type { LineAction } from './line-state';
import { inScope, scopeLineAction, stationScopeOf } from './station-scope';

const user = (role: SessionUser['role'], stationId: string | null = null): SessionUser => ({
  id: 'u1',
  username: role,
  displayName: role,
  role,
  stationId,
});

const station = (stationId: string): StationStatus => ({
  stationId,
  hostname: `${stationId}.local`,
  version: '0.1.0',
  connected: true,
  lastSeenAt: '2030-01-01T00:00:00.000Z',
  slots: [],
});

const mine = { kind: 'one', stationId: 'station-1' } as const;

describe('stationScopeOf', () => {
  it('binds an operator to the station of their session, and nobody else', () => {
    expect(stationScopeOf(user('operator', 'station-1'))).toEqual(mine);
    expect(stationScopeOf(user('operator'))).toEqual({ kind: 'one', stationId: null });
    for (const role of ['supervisor', 'engineer', 'admin'] as const) {
      expect(stationScopeOf(user(role, 'station-1'))).toEqual({ kind: 'all' });
    }
  });

  it('lets an operator without a station see none', () => {
    const scope = stationScopeOf(user('operator'));
    expect(inScope(scope, 'station-1')).toBe(false);
  });
});

describe('scopeLineAction', () => {
  const health = (stations: StationStatus[]): LineAction => ({
    type: 'health',
    at: 1,
    result: {
      kind: 'ok',
      health: { status: 'ok', postgres: { ok: true }, redis: { ok: true }, stations },
    },
  });

  it("keeps only the operator's station from the anonymous health poll", () => {
    const scoped = scopeLineAction(mine, health([station('station-1'), station('station-2')]));
    expect(scoped).toEqual(health([station('station-1')]));
  });

  it('passes everything through for the whole line', () => {
    const action = health([station('station-1'), station('station-2')]);
    expect(scopeLineAction({ kind: 'all' }, action)).toBe(action);
  });

  it('filters snapshots and drops updates and flash events of other stations', () => {
    expect(
      scopeLineAction(mine, {
        type: 'station-snapshot',
        stations: [station('station-2'), station('station-1')],
      }),
    ).toEqual({ type: 'station-snapshot', stations: [station('station-1')] });
    expect(scopeLineAction(mine, { type: 'station-update', station: station('station-2') })).toBe(
      null,
    );
    const update: LineAction = { type: 'station-update', station: station('station-1') };
    expect(scopeLineAction(mine, update)).toBe(update);
    const progress = (stationId: string): LineAction => ({
      type: 'flash',
      event: {
        type: 'progress',
        event: {
          v: 1,
          stationId,
          slot: 1,
          attemptId: 'a1',
          imei: '861359031000019',
          stage: FLASH_STAGES[0],
          percent: 5,
        },
      },
    });
    expect(scopeLineAction(mine, progress('station-2'))).toBe(null);
    expect(scopeLineAction(mine, progress('station-1'))).toEqual(progress('station-1'));
  });

  it('leaves failed health looks and screen-local actions alone', () => {
    const down: LineAction = {
      type: 'health',
      at: 1,
      result: { kind: 'unreachable', message: 'Server not reachable' },
    };
    expect(scopeLineAction(mine, down)).toBe(down);
    const link: LineAction = { type: 'link', link: 'live' };
    expect(scopeLineAction(mine, link)).toBe(link);
  });
});
