import type { Link } from './link';
import { cyclePower, type PowerControl } from './power';

/**
 * After the DA's reset sequence (its watchdog armed for ≈ 1 s), a power control that switches the
 * supply restarts the module at once: off, on, and it boots its new firmware from cold, as at a
 * customer's first power-on. The images are written and verified by then, and the DA has answered
 * every command, so nothing is left to lose when the supply goes. If the relay does not switch,
 * the armed watchdog restarts the module anyway: the failure is traced, not fatal (a cancel is).
 */
export async function restartBySupply(
  link: Link,
  power: PowerControl | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!power?.switchesSupply) return;
  link.begin('POWER_RESTART', { instead: 'watchdog' });
  try {
    await cyclePower(power, signal);
    link.done({ answer: 'cycled' });
  } catch (error) {
    if (signal?.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    link.done({ answer: 'failed', fallback: 'watchdog', error: message }, false);
  }
}
