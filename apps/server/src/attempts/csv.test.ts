import { describe, expect, it } from 'vitest';
import { csvField, csvRow } from './csv';

describe('csvRow (RFC 4180)', () => {
  it('leaves plain fields bare and ends the row with CRLF', () => {
    expect(csvRow(['a', 1, true])).toBe('a,1,true\r\n');
  });

  it('quotes a field with a comma', () => {
    expect(csvRow(['a,b', 'c'])).toBe('"a,b",c\r\n');
  });

  it('quotes a field with a double quote and doubles the quote', () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  it('quotes fields with CR or LF and keeps them as they are', () => {
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('one\r\ntwo')).toBe('"one\r\ntwo"');
  });

  it('writes null and undefined as empty fields', () => {
    expect(csvRow([null, 'x', undefined])).toBe(',x,\r\n');
  });

  it('passes unicode through unchanged', () => {
    expect(csvRow(['Müller', '模块', '🙂'])).toBe('Müller,模块,🙂\r\n');
  });

  it('writes an empty string as an empty field, zero as 0', () => {
    expect(csvRow(['', 0])).toBe(',0\r\n');
  });
});
