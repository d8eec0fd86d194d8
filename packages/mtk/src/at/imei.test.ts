import { describe, expect, it } from 'vitest';
import { imeiCheckDigit, isValidImei } from './imei';

describe('IMEI Luhn', () => {
  it('matches the 3GPP example and the MC60 log IMEI', () => {
    expect(imeiCheckDigit('26053179311383')).toBe(7);
    expect(imeiCheckDigit('86135903029959')).toBe(6);
    expect(isValidImei('861359030299596')).toBe(true);
  });

  it('rejects a wrong check digit, wrong length and non-digits', () => {
    expect(isValidImei('861359030299597')).toBe(false);
    expect(isValidImei('86135903029959')).toBe(false);
    expect(isValidImei('86135903029959A')).toBe(false);
    expect(() => imeiCheckDigit('123')).toThrow(RangeError);
  });
});
