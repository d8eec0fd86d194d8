import { describe, expect, it } from 'vitest';
import { imeiCheckDigit, isValidImei, otherImei, syntheticImei } from './imei';

describe('IMEI helpers', () => {
  it('computes the Luhn check digit of the reference vectors', () => {
    expect(imeiCheckDigit('26053179311383')).toBe(7);
    expect(imeiCheckDigit('86135903029959')).toBe(6);
  });

  it('makes valid, distinct IMEIs', () => {
    const a = syntheticImei(1);
    expect(isValidImei(a)).toBe(true);
    expect(isValidImei(otherImei(a))).toBe(true);
    expect(otherImei(a)).not.toBe(a);
    expect(isValidImei('861359030299597')).toBe(false);
  });
});
