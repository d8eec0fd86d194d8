// Unit test of the explorer's filter checks (the API's own schema, field by field) and of the
// datetime-local ↔ ISO conversion; nothing is mocked.
import { testImei, withWrongCheckDigit } from '@station/testkit';
import { describe, expect, it } from 'vitest';
import { checkFilter, filterText, isoToLocalInput, localInputToIso } from './explorer-filter';

describe('checkFilter', () => {
  it('passes set fields on as the API takes them and leaves empty ones out', () => {
    const imei = testImei(4711);
    expect(
      checkFilter({
        imei,
        from: '2026-11-27T06:00:00.000Z',
        station: ' jig-2 ',
        slot: '3',
        errorCode: '2004',
        outcome: 'failed',
        package: '',
      }),
    ).toEqual({
      ok: true,
      filter: {
        imei,
        from: '2026-11-27T06:00:00.000Z',
        station: 'jig-2',
        slot: 3,
        errorCode: 2004,
        outcome: 'failed',
      },
    });
    expect(checkFilter({})).toEqual({ ok: true, filter: {} });
  });

  it('names each field that is wrong, in the words the page shows', () => {
    const result = checkFilter({
      imei: withWrongCheckDigit(testImei(4711)),
      slot: '0',
      errorCode: '1e3',
      outcome: 'broken',
      from: 'yesterday',
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        { field: 'imei', message: 'IMEI must be 15 digits with a valid check digit' },
        { field: 'from', message: 'From must be a date and time' },
        { field: 'slot', message: 'Slot must be a whole number from 1 to 256' },
        { field: 'errorCode', message: 'Error code must be a whole number, e.g. 2004' },
        {
          field: 'outcome',
          message: 'Outcome must be one of running, passed, failed, interrupted, canceled',
        },
      ],
    });
  });

  it('refuses a window that ends before it starts, as the server does', () => {
    expect(
      checkFilter({ from: '2026-11-27T10:00:00.000Z', to: '2026-11-27T10:00:00.000Z' }),
    ).toEqual({ ok: false, problems: [{ field: 'to', message: 'To must be later than From' }] });
  });

  it('turns a checked filter back into the text the URL keeps', () => {
    expect(filterText({ slot: 3, errorCode: 2004, station: 'jig-2' })).toEqual({
      station: 'jig-2',
      slot: '3',
      errorCode: '2004',
    });
  });
});

describe('datetime-local ↔ ISO', () => {
  it('round-trips a local minute through the ISO time the URL holds', () => {
    const iso = localInputToIso('2026-11-27T14:05');
    expect(iso).toBe(new Date(2026, 10, 27, 14, 5).toISOString());
    expect(isoToLocalInput(iso)).toBe('2026-11-27T14:05');
  });

  it('leaves what is not a datetime-local value for checkFilter to refuse', () => {
    expect(localInputToIso('soon')).toBe('soon');
    expect(isoToLocalInput('soon')).toBe('');
  });
});
