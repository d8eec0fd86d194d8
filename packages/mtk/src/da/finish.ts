import { hex } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, DA_CMD } from './constants';

export type FinishMode = 'reset' | 'stay';

/** ENABLE_WATCHDOG's delay in 15.6 ms ticks, as MediaTek's host sends it (≈ 1 s). */
export const WATCHDOG_TICKS = 64;

/**
 * Leaves the DA. `reset` (default) reboots the module into its new firmware the way
 * pymtkflasher does: B9 (clear META power key), C9 00 (clear long-press), DB watchdog.
 * `stay` sends FINISH (D9) with flag 0 and leaves the module to be power-cycled.
 */
export async function finishDa(link: Link, mode: FinishMode = 'reset'): Promise<void> {
  if (mode === 'stay') {
    await command(link, Uint8Array.of(DA_CMD.FINISH, 0, 0, 0, 0), 'FINISH');
    return;
  }
  await command(link, Uint8Array.of(DA_CMD.CLEAR_POWERKEY_IN_META_MODE), 'CLEAR_POWERKEY');
  await command(link, Uint8Array.of(DA_CMD.CLEAR_LONG_PRESS_PWKEY, 0x00), 'CLEAR_LONG_PRESS_PWKEY');
  // Timeout word in 15.6 ms ticks: MediaTek's own host passes 1000 / 15.6 = 64 (≈ 1 s;
  // docs/protocol.md §8), the field-proven value; pymtkflasher's 0x0140 makes the module sit 5 s
  // in the DA. Flag 0.
  await command(
    link,
    Uint8Array.of(DA_CMD.ENABLE_WATCHDOG, 0x00, WATCHDOG_TICKS, 0, 0, 0, 0),
    'ENABLE_WATCHDOG',
  );
}

async function command(link: Link, bytes: Uint8Array, what: string): Promise<void> {
  link.begin(what);
  await link.send(bytes);
  const answer = await link.recvByte(3000, 'FINISH_FAIL', what);
  link.done({ answer: hex(answer, 2) }, answer === ACK);
  if (answer !== ACK) throw link.fail('FINISH_FAIL', `${what} answered ${hex(answer, 2)}`);
}
