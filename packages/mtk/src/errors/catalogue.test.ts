// The catalogue's fault classes (issue #9 §1, §2): every entry says who a failure is held against
// and how it may be retried, and the rules the line's judgement relies on hold for every entry.
import { describe, expect, it } from 'vitest';
import { FLASH_ERRORS, type FlashErrorCode } from './catalogue';
import { failureAction } from './outcome';

const entries = Object.entries(FLASH_ERRORS) as [
  FlashErrorCode,
  (typeof FLASH_ERRORS)[FlashErrorCode],
][];

describe('the error catalogue', () => {
  it('gives every entry a blame and a retry from the allowed values', () => {
    for (const [code, entry] of entries) {
      expect.soft(['module', 'jig', 'line', 'setup', 'none'], code).toContain(entry.blame);
      expect.soft(['power', 'baud', 'never'], code).toContain(entry.retry);
    }
  });

  it('never blames a module for a setup error (Download Agent, package, port configuration)', () => {
    const setup = entries.filter(([, e]) => e.stage === 'package' || e.blame === 'setup');
    expect(setup.map(([code]) => code)).toEqual(
      expect.arrayContaining([
        'INVALID_CFG_FILE',
        'INVALID_IMAGE',
        'INVALID_DA_FILE',
        'PACKAGE_MISMATCH',
        'DA_VERSION_INCORRECT',
        'PORT_OPEN_FAIL',
      ]),
    );
    for (const [code, entry] of setup) {
      expect.soft(entry.blame, code).not.toBe('module');
      expect.soft(entry.retry, code).toBe('never');
    }
  });

  it('never retries a verify or read-back mismatch silently', () => {
    expect(FLASH_ERRORS.DOWNLOAD_CHECKSUM_MISMATCH.retry).toBe('never');
    expect(FLASH_ERRORS.READBACK_FAIL.retry).toBe('never');
  });

  it('retries handshake timeouts and garbled starts with power, line errors at a lower baud', () => {
    expect(FLASH_ERRORS.BROM_HANDSHAKE_TIMEOUT.retry).toBe('power');
    expect(FLASH_ERRORS.BROM_HANDSHAKE_FAIL.retry).toBe('power');
    for (const code of ['BAUD_CHANGE_FAIL', 'BROM_ECHO_MISMATCH', 'DOWNLOAD_FAIL'] as const) {
      expect.soft(FLASH_ERRORS[code]).toMatchObject({ blame: 'line', retry: 'baud' });
    }
  });

  it('holds an IMEI mismatch against nobody: the label is wrong, not the module', () => {
    expect(FLASH_ERRORS.IMEI_MISMATCH).toMatchObject({ blame: 'none', retry: 'never' });
  });

  it('retries nothing the station itself calls not retryable', () => {
    for (const [code, entry] of entries)
      if (!entry.retryable) expect.soft(entry.retry, code).toBe('never');
  });

  it('names every entry once, so a stored error name finds its entry', () => {
    const names = entries.map(([, e]) => e.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('failureAction', () => {
  it('follows the fault class, so the two never disagree', () => {
    expect(failureAction('BROM_HANDSHAKE_TIMEOUT')).toBe('reprompt-power');
    expect(failureAction('BAUD_CHANGE_FAIL')).toBe('retry-lower-baud');
    expect(failureAction('INVALID_DA_FILE')).toBe('fix-setup');
    expect(failureAction('DOWNLOAD_CHECKSUM_MISMATCH')).toBe('quarantine');
    expect(failureAction('IMEI_MISMATCH')).toBe('none');
    expect(failureAction('PORT_DISCONNECTED')).toBe('none');
  });
});
