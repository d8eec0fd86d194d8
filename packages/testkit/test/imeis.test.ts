// Test IMEIs are valid by the contracts' own schema, and the emulated labels are the ones the
// README tells operators to scan. (packages/emulator's tests check them against the real jig.)
import { Imei } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { labelImei, testImei, uniqueImei, withWrongCheckDigit } from '../src/index';

describe('test IMEIs', () => {
  it('labels slot 1 and 2 of an emulated jig as the README says', () => {
    expect(labelImei(1)).toBe('861359031000019');
    expect(labelImei(2)).toBe('861359031000027');
  });

  it('builds valid IMEIs from a serial and refuses a serial that does not fit', () => {
    expect(Imei.safeParse(testImei(777_777)).success).toBe(true);
    expect(testImei(777_777)).toMatch(/^86135903777777\d$/);
    expect(() => testImei(1_000_000)).toThrow('an IMEI serial is 0 to 999999 (got 1000000)');
  });

  it('gives a different valid IMEI on every call, outside the emulated TAC', () => {
    const imeis = Array.from({ length: 500 }, () => uniqueImei());
    expect(new Set(imeis).size).toBe(500);
    for (const imei of imeis) {
      expect(Imei.safeParse(imei).success).toBe(true);
      expect(imei.startsWith('86135903')).toBe(false);
    }
  });

  it('spoils the check digit only', () => {
    const misread = withWrongCheckDigit(labelImei(1));
    expect(misread.slice(0, 14)).toBe(labelImei(1).slice(0, 14));
    expect(Imei.safeParse(misread).success).toBe(false);
  });
});
