// Unit test of scan validation and how a refused flash job is worded; nothing is mocked.
import { imeiCheckDigit } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { describeRefusal, parseScan } from './flash-client';

const BODY = '86135903100001';
const GOOD = `${BODY}${imeiCheckDigit(BODY)}`;
const WRONG_CHECK = `${BODY}${(imeiCheckDigit(BODY) + 1) % 10}`;

describe('parseScan', () => {
  it('accepts a label IMEI, ignoring the spaces a scanner may add', () => {
    expect(parseScan(` ${GOOD}\t`)).toEqual({ ok: true, imei: GOOD });
  });

  it('refuses a barcode that is not 15 digits, quoting it', () => {
    expect(parseScan('SN-ABC-123')).toEqual({
      ok: false,
      message: 'Not an IMEI label: "SN-ABC-123" (an IMEI is exactly 15 digits). Nothing was sent.',
    });
  });

  it('refuses a misread label by its check digit', () => {
    const result = parseScan(WRONG_CHECK);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('check digit (Luhn) does not match');
  });

  it('refuses an empty scan', () => {
    expect(parseScan('   ')).toEqual({
      ok: false,
      message: 'Nothing scanned: scan the module label',
    });
  });
});

describe('describeRefusal', () => {
  it("shows the server's message and code", () => {
    const body = { error: { code: 'SLOT_BUSY', message: 'Slot 1 of line-1 is flashing' } };
    expect(describeRefusal(409, body)).toBe('Slot 1 of line-1 is flashing (SLOT_BUSY)');
  });

  it('says when the answer has no readable reason', () => {
    expect(describeRefusal(502, '<html>')).toBe(
      'The server answered 502 without a readable reason',
    );
  });
});
