import { FLASH_ERRORS, type FlashErrorCode } from './catalogue';

/**
 * What should happen next after a failure (design §5), read from the catalogue's fault class
 * (`retry`, `blame`), so the two can never disagree. The server's retry policy
 * (apps/server/src/flash/retry-policy.ts) acts on the same fields.
 */
export type FailureAction =
  'reprompt-power' | 'retry-lower-baud' | 'retry' | 'fix-setup' | 'quarantine' | 'none';

export function failureAction(code: FlashErrorCode): FailureAction {
  const { retry, blame } = FLASH_ERRORS[code];
  if (retry === 'power') return 'reprompt-power';
  if (retry === 'baud') return 'retry-lower-baud';
  if (blame === 'setup') return 'fix-setup';
  if (blame === 'module') return 'quarantine';
  // Jig faults, line faults not worth retrying, and nobody's faults: a person decides.
  return 'none';
}
