// Unit test of what a scan sends and how a refused flash job is worded; nothing is mocked.
import { imeiCheckDigit } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { describeRefusal, mayRework, parseScan, reworkQuestion } from './flash-client';

const BODY = '86135903100001';
const GOOD = `${BODY}${imeiCheckDigit(BODY)}`;
const WRONG_CHECK = `${BODY}${(imeiCheckDigit(BODY) + 1) % 10}`;

describe('parseScan', () => {
  it('sends the label as scanned, showing the IMEI the shared parser finds in it', () => {
    expect(parseScan(` ${GOOD}\t`)).toEqual({ ok: true, label: ` ${GOOD}\t`, shown: GOOD });
    const label = `IMEI:${GOOD};SN:MPB19LA0001234`;
    expect(parseScan(label)).toEqual({ ok: true, label, shown: GOOD });
  });

  it('leaves labels the built-in formats cannot read to the server (its formats may)', () => {
    expect(parseScan('SN-ABC-123')).toEqual({ ok: true, label: 'SN-ABC-123', shown: 'SN-ABC-123' });
    expect(parseScan(WRONG_CHECK)).toEqual({ ok: true, label: WRONG_CHECK, shown: WRONG_CHECK });
  });

  it('refuses an empty scan and one longer than any label', () => {
    expect(parseScan('   ')).toEqual({
      ok: false,
      message: 'Nothing scanned: scan the module label',
    });
    expect(parseScan('9'.repeat(513))).toEqual({
      ok: false,
      message: 'Not a module label: 513 characters, at most 512. Nothing was sent.',
    });
  });
});

describe('rework', () => {
  it('is offered to supervisors and above only', () => {
    expect(mayRework('operator')).toBe(false);
    for (const role of ['supervisor', 'engineer', 'admin'] as const)
      expect(mayRework(role)).toBe(true);
  });

  it('asks before flashing a passed module again, naming the slot and the label', () => {
    expect(reworkQuestion(` ${GOOD} `, 3)).toBe(
      `This module already passed with this firmware. Flash it again in slot 3 (rework, recorded in the audit log)?\n\n${GOOD}`,
    );
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
