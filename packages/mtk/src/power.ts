import { withDeadline } from './deadline';
import type { FlashError } from './errors/flash-error';
import { toFlashError } from './errors/to-flash-error';

export interface PowerControl {
  /**
   * Power-cycles the module (or asks a human to); called while the host streams A0. Must settle
   * within POWER_CYCLE_TIMEOUT_MS, and should stop waiting once `signal` aborts.
   */
  cycle(signal?: AbortSignal): Promise<void>;
}

/** How long a power cycle (relay, DTR/RTS pulse, emulator channel) may take. */
export const POWER_CYCLE_TIMEOUT_MS = 10_000;

/** The caller's power cycle, bounded in time and ended by cancel; no power control is a no-op. */
export function cyclePower(
  power: PowerControl | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!power) return Promise.resolve();
  return withDeadline(power.cycle(signal), POWER_CYCLE_TIMEOUT_MS, signal, 'power cycle');
}

/** A power cycle that failed or hung, as the flash reports it. */
export function powerError(failure: unknown, signal: AbortSignal | undefined): FlashError {
  return toFlashError(failure, {
    stage: 'power',
    what: 'power cycle',
    onTimeout: 'POWER_CONTROL_FAIL',
    timeoutMessage: `power cycle did not finish within ${POWER_CYCLE_TIMEOUT_MS} ms`,
    signal,
  });
}
