import { describe, expect, it } from 'vitest';
import { decideLatency, parseLatencyTimer } from './latency-timer';

const file = '/sys/bus/usb-serial/devices/ttyUSB0/latency_timer';

describe('parseLatencyTimer', () => {
  it('reads the decimal ms the kernel writes, newline and all', () => {
    expect(parseLatencyTimer('16\n')).toBe(16);
    expect(parseLatencyTimer(' 1 ')).toBe(1);
    expect(parseLatencyTimer('255')).toBe(255);
  });

  it('refuses what is not a timer value', () => {
    for (const text of ['', '0', '256', '-1', '1.5', 'sixteen', '16ms', '1000'])
      expect(parseLatencyTimer(text), JSON.stringify(text)).toBeNull();
  });
});

describe('decideLatency', () => {
  it('leaves a 1 ms timer and a tty that has none (not an FTDI usb-serial adapter) alone', () => {
    expect(decideLatency({ kind: 'value', ms: 1, writable: true }, { fix: true, file })).toEqual({
      action: 'none',
      reason: 'ok',
    });
    expect(decideLatency({ kind: 'absent' }, { fix: true, file })).toEqual({
      action: 'none',
      reason: 'not-ftdi',
    });
  });

  it('sets a slow timer only when allowed and the file is writable', () => {
    expect(decideLatency({ kind: 'value', ms: 16, writable: true }, { fix: true, file })).toEqual({
      action: 'set',
      fromMs: 16,
    });
    const notAllowed = decideLatency(
      { kind: 'value', ms: 16, writable: true },
      { fix: false, file },
    );
    expect(notAllowed.action).toBe('warn');
    const notWritable = decideLatency(
      { kind: 'value', ms: 16, writable: false },
      { fix: true, file },
    );
    expect(notWritable.action).toBe('warn');
  });

  it('warns with the value, the wanted value and the command or switch that fixes it', () => {
    const warn = decideLatency({ kind: 'value', ms: 16, writable: true }, { fix: false, file });
    expect(warn).toEqual({
      action: 'warn',
      problem: expect.stringContaining('latency timer is 16 ms, 1 ms wanted') as string,
    });
    const problem = (warn as { problem: string }).problem;
    expect(problem).toContain(`echo 1 > ${file}`);
    expect(problem).toContain('SERIAL_LATENCY_TIMER_FIX=true');
    const denied = decideLatency({ kind: 'value', ms: 16, writable: false }, { fix: true, file });
    expect((denied as { problem: string }).problem).toContain('may not write it');
  });

  it('warns about a file that holds no number', () => {
    const warn = decideLatency({ kind: 'invalid', text: 'garbage\n' }, { fix: true, file });
    expect(warn).toEqual({
      action: 'warn',
      problem: `${file} reads "garbage", not a number of ms: check the adapter's driver`,
    });
  });
});
