// Unit test of the explorer's search box: typed IMEIs and scanned labels, read with the scan
// path's label parser; nothing is mocked.
import { testImei, withWrongCheckDigit } from '@station/testkit';
import { describe, expect, it } from 'vitest';
import { readSearchBox } from './search-box';

describe('readSearchBox', () => {
  const imei = testImei(4242);

  it('takes a typed IMEI and the labels a scanner sends, with their CR/LF', () => {
    for (const text of [
      imei,
      ` ${imei}\r\n`,
      `IMEI:${imei};SN:MPB19LA0001234`,
      `MC60CA ${imei} MPB19LA0001234`,
    ]) {
      expect(readSearchBox(text)).toEqual({ ok: true, imei });
    }
  });

  it('refuses a misread IMEI with the digit that is wrong', () => {
    const misread = withWrongCheckDigit(imei);
    expect(readSearchBox(misread)).toEqual({
      ok: false,
      message: `Label "${misread}" not readable: the IMEI's check digit is ${misread[14]}, expected ${imei[14]} (format imei)`,
    });
  });

  it('refuses a label it cannot read, and an empty box', () => {
    expect(readSearchBox('SN-4711-X')).toEqual({
      ok: false,
      message:
        'Label "SN-4711-X" not readable: no label format matched (known: imei, keyed, model-imei-sn, simcom-pipe): ' +
        "scan the module's IMEI barcode",
    });
    expect(readSearchBox('  ')).toEqual({
      ok: false,
      message: 'Label "" not readable: nothing was scanned',
    });
  });
});
