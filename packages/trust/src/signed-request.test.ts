import { describe, expect, it } from 'vitest';
import { stationAuthorization, verifyStationAuthorization } from './signed-request';
import { deriveStationKeys, newStationSecret } from './station-secret';

const key = deriveStationKeys(newStationSecret()).signingKey;
const keyOf = (id: string) => (id === 'st-1' ? key : undefined);
const NOW = 1_800_000_000_000;

describe('station request signatures', () => {
  it('accepts the request it signed, and no other method, path, station or time', () => {
    const header = stationAuthorization(key, 'st-1', 'GET', '/api/x?digest=1', NOW);
    expect(
      verifyStationAuthorization(header, 'GET', '/api/x?digest=1', keyOf, { now: NOW }),
    ).toEqual({
      ok: true,
      stationId: 'st-1',
    });
    expect(
      verifyStationAuthorization(header, 'POST', '/api/x?digest=1', keyOf, { now: NOW }),
    ).toEqual({
      ok: false,
      reason: 'bad request signature',
    });
    expect(
      verifyStationAuthorization(header, 'GET', '/api/x?digest=2', keyOf, { now: NOW }),
    ).toMatchObject({
      ok: false,
    });
    const otherStation = header.replace('st-1', 'st-2');
    expect(
      verifyStationAuthorization(otherStation, 'GET', '/api/x?digest=1', keyOf, { now: NOW }),
    ).toEqual({
      ok: false,
      reason: 'station st-2 has no credential',
    });
  });

  it('refuses a header replayed after the allowed skew, and malformed ones', () => {
    const header = stationAuthorization(key, 'st-1', 'GET', '/a', NOW);
    expect(
      verifyStationAuthorization(header, 'GET', '/a', keyOf, { now: NOW + 6 * 60_000 }),
    ).toEqual({ ok: false, reason: "request time is 360 s off the server's clock" });
    for (const bad of ['FlashStation st-1', 'Bearer x', `FlashStation st-1 ${NOW} zz`, ''])
      expect(verifyStationAuthorization(bad, 'GET', '/a', keyOf, { now: NOW })).toEqual({
        ok: false,
        reason: 'malformed station authorization',
      });
  });
});
