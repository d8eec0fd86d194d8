import { withDeadline } from './deadline';
import type { FlashError } from './errors/flash-error';
import { toFlashError } from './errors/to-flash-error';

/** Which power-up of this handshake it is, and until when the host keeps streaming A0. */
export interface PowerCycleContext {
  /** 1 for the first, 2… when the handshake powers again (half-way, or after a failed start). */
  round: number;
  /** The handshake's deadline: a human asked to power-cycle has until then. */
  until: Date;
}

export interface PowerControl {
  /**
   * Power-cycles the module (or asks a human to); called while the host streams A0. Must settle
   * within POWER_CYCLE_TIMEOUT_MS, and should stop waiting once `signal` aborts.
   */
  cycle(signal?: AbortSignal, context?: PowerCycleContext): Promise<void>;
  /**
   * true when `cycle` switches the module's supply off and on (a jig's relay), so the module
   * restarts from cold whatever runs on it; false or absent for a PWRKEY pulse or a human. Such
   * a control also restarts the module after the download, at once, instead of the DA's ≈ 1 s
   * watchdog (docs/protocol.md "Restart after the download").
   */
  readonly switchesSupply?: boolean;
}

/** How long a power cycle (relay, DTR/RTS pulse, emulator channel) may take. */
export const POWER_CYCLE_TIMEOUT_MS = 10_000;

/** The caller's power cycle, bounded in time and ended by cancel; no power control is a no-op. */
export function cyclePower(
  power: PowerControl | undefined,
  signal: AbortSignal | undefined,
  context?: PowerCycleContext,
): Promise<void> {
  if (!power) return Promise.resolve();
  return withDeadline(power.cycle(signal, context), POWER_CYCLE_TIMEOUT_MS, signal, 'power cycle');
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
