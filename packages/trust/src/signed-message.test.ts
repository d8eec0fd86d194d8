import { describe, expect, it } from 'vitest';
import { openMessage, signedFromFields, signMessage } from './signed-message';
import { deriveStationKeys, newStationSecret, stationSecretProblem } from './station-secret';

const key = deriveStationKeys(newStationSecret()).signingKey;
const otherKey = deriveStationKeys(newStationSecret()).signingKey;

describe('signed messages', () => {
  it('opens what the same key signed for the same kind, and nothing else', () => {
    const signed = signMessage(key, 'result', { attemptId: 'a1', outcome: 'passed' });
    expect(openMessage(key, 'result', signed)).toEqual({
      ok: true,
      message: { attemptId: 'a1', outcome: 'passed' },
    });
    expect(openMessage(otherKey, 'result', signed)).toEqual({
      ok: false,
      reason: 'bad result signature',
    });
    // A signed result cannot be replayed as a job.
    expect(openMessage(key, 'job', signed)).toEqual({ ok: false, reason: 'bad job signature' });
  });

  it('refuses a changed text, a missing or malformed signature, and things that are not messages', () => {
    const signed = signMessage(key, 'result', { outcome: 'failed' });
    const forged = { ...signed, m: signed.m.replace('failed', 'passed') };
    expect(openMessage(key, 'result', forged)).toMatchObject({ ok: false });
    expect(openMessage(key, 'result', { m: signed.m })).toEqual({
      ok: false,
      reason: 'no signature',
    });
    expect(openMessage(key, 'result', { m: signed.m, s: 'zz' })).toMatchObject({ ok: false });
    expect(openMessage(key, 'result', null)).toEqual({ ok: false, reason: 'not a signed message' });
    expect(openMessage(key, 'result', 'text')).toEqual({
      ok: false,
      reason: 'not a signed message',
    });
  });

  it('reads m and s from stream fields in any order, ignoring values that look like names', () => {
    expect(signedFromFields(['x', 'm', 's', 'sig', 'm', '{"a":1}'])).toEqual({
      m: '{"a":1}',
      s: 'sig',
    });
  });
});

describe('station secrets', () => {
  it('derives different keys for signing and Redis, the same every time', () => {
    const secret = newStationSecret();
    expect(stationSecretProblem(secret)).toBeNull();
    const keys = deriveStationKeys(secret);
    expect(keys).toEqual(deriveStationKeys(secret));
    expect(keys.signingKey).not.toBe(keys.redisPassword);
    expect(keys.signingKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says what is wrong with a mistyped secret without repeating it', () => {
    const problem = stationSecretProblem('fss_short');
    expect(problem).toMatch(/9 characters given/);
    expect(problem).not.toContain('fss_short');
    expect(() => deriveStationKeys('fss_short')).toThrow(/station secret must be/);
  });
});
