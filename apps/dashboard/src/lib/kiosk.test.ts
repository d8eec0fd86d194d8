// Unit test of how a kiosk's station travels between its addresses; nothing is mocked.
import type { SessionUser } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { kioskStationFrom, kioskStationOf, lineViewPath, signInPath } from './kiosk';

const operator: SessionUser = {
  id: 'u1',
  username: 'operator',
  displayName: 'Olga Operator',
  role: 'operator',
  stationId: 'station-3',
};

describe('kioskStationFrom', () => {
  it('reads a station id from the address, the first when repeated', () => {
    expect(kioskStationFrom('station-1')).toBe('station-1');
    expect(kioskStationFrom(['station-1', 'station-2'])).toBe('station-1');
  });

  it('takes nothing that is not a station id', () => {
    expect(kioskStationFrom(undefined)).toBe(null);
    expect(kioskStationFrom('')).toBe(null);
    expect(kioskStationFrom('../admin')).toBe(null);
    expect(kioskStationFrom('station 1')).toBe(null);
  });
});

describe('kioskStationOf', () => {
  it("prefers the address, then an operator's bound station", () => {
    expect(kioskStationOf('station-1', operator)).toBe('station-1');
    expect(kioskStationOf(null, operator)).toBe('station-3');
  });

  it('is no kiosk for a supervisor away from one, or before the session is known', () => {
    expect(kioskStationOf(null, { ...operator, role: 'supervisor', stationId: null })).toBe(null);
    expect(kioskStationOf(null, null)).toBe(null);
  });
});

describe('paths', () => {
  it('carries the station, or nothing', () => {
    expect(signInPath('station-1')).toBe('/sign-in?station=station-1');
    expect(signInPath(null)).toBe('/sign-in');
    expect(lineViewPath('station_2')).toBe('/?station=station_2');
    expect(lineViewPath(null)).toBe('/');
  });
});
