// What to do about a slot adapter's FTDI latency timer (pure; the sysfs side is
// latency-timer-sysfs.ts). The FTDI chip holds received bytes up to this long before sending a
// short USB packet; the protocol waits for one small answer per 4 KiB packet and per boot-ROM
// command byte, so the 16 ms default costs about 40 % of a flash at 921600 baud. 1 ms is wanted.

export const WANTED_LATENCY_MS = 1;

/** The file as read: missing (not an FTDI usb-serial tty), a value, or text that is no value. */
export type LatencyReading =
  | { kind: 'absent' }
  | { kind: 'value'; ms: number; writable: boolean }
  | { kind: 'invalid'; text: string };

export type LatencyDecision =
  | { action: 'none'; reason: 'ok' | 'not-ftdi' }
  | { action: 'set'; fromMs: number }
  | { action: 'warn'; problem: string };

/** The kernel writes the timer as a decimal number of ms (1-255); anything else is not one. */
export function parseLatencyTimer(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return null;
  const ms = Number(trimmed);
  return ms >= 1 && ms <= 255 ? ms : null;
}

/**
 * `fix`: SERIAL_LATENCY_TIMER_FIX. A slow timer is set when allowed and writable, else warned
 * about with the command that sets it. `file` is the sysfs file named in the warning.
 */
export function decideLatency(
  reading: LatencyReading,
  options: { fix: boolean; file: string },
): LatencyDecision {
  if (reading.kind === 'absent') return { action: 'none', reason: 'not-ftdi' };
  if (reading.kind === 'invalid') {
    return {
      action: 'warn',
      problem: `${options.file} reads "${reading.text.trim()}", not a number of ms: check the adapter's driver`,
    };
  }
  if (reading.ms <= WANTED_LATENCY_MS) return { action: 'none', reason: 'ok' };
  if (options.fix && reading.writable) return { action: 'set', fromMs: reading.ms };
  const howTo = `echo ${WANTED_LATENCY_MS} > ${options.file}`;
  const why = options.fix
    ? `this process may not write it (run as root or add a udev rule; docs/operations.md "FTDI latency timer")`
    : `set it with \`${howTo}\` (or a udev rule), or SERIAL_LATENCY_TIMER_FIX=true to let the station set it`;
  return {
    action: 'warn',
    problem: `latency timer is ${reading.ms} ms, ${WANTED_LATENCY_MS} ms wanted (about 40 % slower flashing at 921600 baud): ${why}`,
  };
}
