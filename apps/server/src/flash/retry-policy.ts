// The retry policy (design §5, issue #9 §1): after a failed attempt, whether the line tries again
// as a NEW attempt linked to it (retryOfId), so every try is recorded and first-pass yield stays
// true. Pure: the recorder gives it the stored result, the chain and the configuration.
import type { FlashBaud } from '@station/contracts';
import { faultClassOf } from './fault-class';

/** Bauds a flash runs at, fastest first; a line error retries at the next one. */
export const BAUD_STEPS: readonly FlashBaud[] = [921600, 460800, 115200];

export interface RetryConfig {
  /** Power retries in one chain (RETRY_POWER_MAX); 0: none. */
  powerMax: number;
  /** The lowest baud a line error is retried at (RETRY_BAUD_FLOOR). */
  baudFloor: FlashBaud;
}

export interface RetryInput {
  /** The stored result of the attempt that just ended. */
  failed: { outcome: string; errorName: string | null; baud: number | null };
  /** Bauds of the chain so far, oldest first, ending with the failed attempt. */
  chain: readonly (number | null)[];
  /** Retries only run in an active slot, for a module that may be flashed. */
  slotStatus: string;
  moduleStatus: string;
}

export type RetryDecision =
  { retry: true; reason: 'power' | 'baud'; baud: FlashBaud } | { retry: false; why: string };

const DEFAULT_BAUD: FlashBaud = 921600;

export function decideRetry(input: RetryInput, config: RetryConfig): RetryDecision {
  const { failed } = input;
  if (failed.outcome !== 'failed') return { retry: false, why: `the attempt ${failed.outcome}` };
  const { retry } = faultClassOf(failed.errorName);
  if (retry === 'never')
    return { retry: false, why: `${failed.errorName ?? 'this failure'} is never retried` };
  if (input.slotStatus !== 'active')
    return { retry: false, why: `the slot is ${input.slotStatus}` };
  if (input.moduleStatus === 'quarantined' || input.moduleStatus === 'scrapped')
    return { retry: false, why: `the module is ${input.moduleStatus}` };
  const baud = asBaud(failed.baud);
  if (retry === 'power') {
    const used = powerRetriesIn(input.chain);
    if (used >= config.powerMax)
      return {
        retry: false,
        why: `${used} power retries already (RETRY_POWER_MAX ${config.powerMax})`,
      };
    return { retry: true, reason: 'power', baud };
  }
  const next = BAUD_STEPS.find((step) => step < baud);
  if (next === undefined || next < config.baudFloor)
    return {
      retry: false,
      why: `${baud} is the lowest baud allowed (RETRY_BAUD_FLOOR ${config.baudFloor})`,
    };
  return { retry: true, reason: 'baud', baud: next };
}

/** A link that kept its predecessor's baud was a power retry; one that lowered it, a baud retry. */
export function powerRetriesIn(chain: readonly (number | null)[]): number {
  let count = 0;
  for (let i = 1; i < chain.length; i += 1) if (chain[i] === chain[i - 1]) count += 1;
  return count;
}

/** Why a stored retry was started, from the bauds of the failed attempt and its retry. */
export function retryReasonOf(
  failedBaud: number | null,
  retryBaud: number | null,
): 'power' | 'baud' {
  return failedBaud !== null && retryBaud !== null && retryBaud < failedBaud ? 'baud' : 'power';
}

function asBaud(baud: number | null): FlashBaud {
  return BAUD_STEPS.find((step) => step === baud) ?? DEFAULT_BAUD;
}
