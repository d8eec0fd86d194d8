import { describe, expect, it } from 'vitest';
import { decideRetry, powerRetriesIn, retryReasonOf, type RetryInput } from './retry-policy';

const config = { powerMax: 2, baudFloor: 115200 } as const;
const failed = (errorName: string | null, baud: number | null, outcome = 'failed') => ({
  outcome,
  errorName,
  baud,
});
const input = (overrides: Partial<RetryInput> & Pick<RetryInput, 'failed'>): RetryInput => ({
  chain: [overrides.failed.baud],
  slotStatus: 'active',
  moduleStatus: 'failed',
  ...overrides,
});

const BAUD_CHANGE = 'S_FT_CHANGE_BAUDRATE_FAIL';
const HANDSHAKE_TIMEOUT = 'S_BROM_CMD_STARTCMD_TIMEOUT';

describe('decideRetry', () => {
  it('retries a line error at the next lower baud: 921600 → 460800 → 115200', () => {
    expect(decideRetry(input({ failed: failed(BAUD_CHANGE, 921600) }), config)).toEqual({
      retry: true,
      reason: 'baud',
      baud: 460800,
    });
    expect(
      decideRetry(input({ failed: failed(BAUD_CHANGE, 460800), chain: [921600, 460800] }), config),
    ).toEqual({ retry: true, reason: 'baud', baud: 115200 });
  });

  it('stops at the floor: at 115200, or at a configured higher floor', () => {
    expect(decideRetry(input({ failed: failed(BAUD_CHANGE, 115200) }), config)).toMatchObject({
      retry: false,
      why: expect.stringContaining('lowest baud'),
    });
    expect(
      decideRetry(input({ failed: failed('S_FT_DOWNLOAD_FAIL', 460800) }), {
        ...config,
        baudFloor: 460800,
      }),
    ).toMatchObject({ retry: false });
  });

  it('retries a handshake timeout with power at the same baud, up to RETRY_POWER_MAX', () => {
    expect(decideRetry(input({ failed: failed(HANDSHAKE_TIMEOUT, 921600) }), config)).toEqual({
      retry: true,
      reason: 'power',
      baud: 921600,
    });
    expect(
      decideRetry(
        input({ failed: failed(HANDSHAKE_TIMEOUT, 921600), chain: [921600, 921600] }),
        config,
      ),
    ).toMatchObject({ retry: true, reason: 'power' });
    expect(
      decideRetry(
        input({ failed: failed(HANDSHAKE_TIMEOUT, 921600), chain: [921600, 921600, 921600] }),
        config,
      ),
    ).toMatchObject({ retry: false, why: expect.stringContaining('2 power retries') });
    expect(
      decideRetry(input({ failed: failed(HANDSHAKE_TIMEOUT, 921600) }), { ...config, powerMax: 0 }),
    ).toMatchObject({ retry: false });
  });

  it('counts power retries over the whole chain, baud steps apart', () => {
    // 921600 → baud → 460800 → power → 460800: one power retry used.
    expect(powerRetriesIn([921600, 460800, 460800])).toBe(1);
    expect(
      decideRetry(
        input({ failed: failed(HANDSHAKE_TIMEOUT, 460800), chain: [921600, 460800, 460800] }),
        config,
      ),
    ).toEqual({ retry: true, reason: 'power', baud: 460800 });
  });

  it('never retries a verify or read-back mismatch, a setup error or a wrong label', () => {
    for (const name of [
      'S_FT_DOWNLOAD_CHKSUM_MISMATCH',
      'S_FT_READBACK_FAIL',
      'S_INVALID_DA_FILE',
      'FS_IMEI_MISMATCH',
    ])
      expect
        .soft(decideRetry(input({ failed: failed(name, 921600) }), config), name)
        .toMatchObject({
          retry: false,
          why: `${name} is never retried`,
        });
  });

  it('never retries what is not a failure, or a failure outside the catalogue', () => {
    expect(decideRetry(input({ failed: failed(null, 921600, 'passed') }), config)).toEqual({
      retry: false,
      why: 'the attempt passed',
    });
    expect(
      decideRetry(input({ failed: failed('STATION_LOST', 921600, 'interrupted') }), config),
    ).toMatchObject({ retry: false });
    expect(decideRetry(input({ failed: failed('STATION_ERROR', 921600) }), config)).toMatchObject({
      retry: false,
    });
  });

  it('does not retry in a slot out of rotation, or a module that may not be flashed', () => {
    expect(
      decideRetry(input({ failed: failed(BAUD_CHANGE, 921600), slotStatus: 'suspect' }), config),
    ).toEqual({ retry: false, why: 'the slot is suspect' });
    expect(
      decideRetry(
        input({ failed: failed(BAUD_CHANGE, 921600), moduleStatus: 'quarantined' }),
        config,
      ),
    ).toEqual({ retry: false, why: 'the module is quarantined' });
  });

  it('takes a failure with no stored baud as one at the default 921600', () => {
    expect(decideRetry(input({ failed: failed(BAUD_CHANGE, null) }), config)).toMatchObject({
      baud: 460800,
    });
  });
});

describe('retryReasonOf', () => {
  it('reads a lower baud as a baud retry, the same as a power retry', () => {
    expect(retryReasonOf(921600, 460800)).toBe('baud');
    expect(retryReasonOf(921600, 921600)).toBe('power');
  });
});
