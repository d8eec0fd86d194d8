import { hex } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, BAUD_CODES, DA_CMD, SYNC } from './constants';

/** Sync attempts at the new speed; each C0 the DA answers may arrive before its 5A. */
const SYNC_ATTEMPTS = 20;
/**
 * Field-proven pacing (docs/protocol.md §8): pymtkflasher waits 200 ms after both sides switched
 * before its first C0 (`mtkflasher.py` da_changebaud), MediaTek's downloader even 1 s before it
 * switches and 200 ms before the DA's last 5A (`da_stage.c` da_change_baudrate_phase1/2): a byte
 * sent while the DA re-programs its UART arrives garbled and could read as the 5A that ends its
 * sync loop.
 */
export const BAUD_SETTLE_MS = 200;

/** Bauds to fall back to, in order, when a switch to `baud` fails (design §5). */
export function fallbackBauds(baud: number): number[] {
  return [460800, 115200].filter((b) => b < baud);
}

/**
 * DA baud switch, "full sync with loopback" variant (reference §2.5, as pymtkflasher):
 * D2 <code> 01 → 5A; 5A; both sides switch; 200 ms settle; C0 until C0; 5A → 5A; 256 loopback
 * bytes 00..FF, each echoed before the next is sent. A wrong loopback byte means the line cannot carry this baud: 4006, retryable.
 * 115200 is the DA's starting rate, so nothing is sent for it.
 */
export async function changeBaud(link: Link, baud: number): Promise<void> {
  if (baud === link.baud) return;
  const code = BAUD_CODES[baud];
  if (code === undefined)
    throw new RangeError(`unsupported baud ${baud}; use 921600, 460800, 230400 or 115200`);
  link.begin('BAUD', { baud });
  await link.send(Uint8Array.of(DA_CMD.SPEED, code, 0x01));
  const ack = await link.recvByte(2000, 'BAUD_CHANGE_FAIL', 'SPEED command ACK');
  if (ack !== ACK) throw link.fail('BAUD_CHANGE_FAIL', `SPEED command answered ${hex(ack, 2)}`);
  await link.send(Uint8Array.of(ACK));
  await link.setBaud(baud);
  await link.pause(BAUD_SETTLE_MS);

  let synced = false;
  for (let attempt = 0; attempt < SYNC_ATTEMPTS && !synced; attempt++) {
    await link.send(Uint8Array.of(SYNC));
    synced = (await tryRead(link, 100)) === SYNC;
  }
  if (!synced) throw link.fail('BAUD_CHANGE_FAIL', `no C0 sync at ${baud} baud`);
  await link.send(Uint8Array.of(ACK));
  let answer = await link.recvByte(1000, 'BAUD_CHANGE_FAIL', `sync ACK at ${baud}`);
  // Skip the C0s answering our other sync attempts (never more than we sent).
  for (let late = 0; answer === SYNC && late < SYNC_ATTEMPTS; late++)
    answer = await link.recvByte(1000, 'BAUD_CHANGE_FAIL', `sync ACK at ${baud}`);
  if (answer !== ACK)
    throw link.fail('BAUD_CHANGE_FAIL', `sync ACK at ${baud} was ${hex(answer, 2)}`);

  // Loopback 00..FF one byte at a time, each echo awaited before the next byte is sent, as
  // pymtkflasher does: no host found sends more than one loopback byte ahead of the DA. No drain
  // per byte: its echo, read next, cannot come before the byte left, and 256 tcdrains would each
  // take a libuv pool thread (docs/speed-work.md §15).
  const byte = new Uint8Array(1);
  for (let value = 0; value < 256; value++) {
    byte[0] = value;
    await link.send(byte, { drain: false });
    const echo = await link.recvByte(1000, 'BAUD_CHANGE_FAIL', `loopback byte ${hex(value, 2)}`);
    if (echo !== value) {
      link.done({ answer: 'loopback', sent: hex(value, 2), got: hex(echo, 2) }, false);
      throw link.fail(
        'BAUD_CHANGE_FAIL',
        `loopback at ${baud} baud: sent ${hex(value, 2)}, got ${hex(echo, 2)} (line too noisy for this speed)`,
      );
    }
  }
  link.done({ answer: 'loopback ok' });
}

async function tryRead(link: Link, timeoutMs: number): Promise<number | undefined> {
  try {
    return await link.recvByte(timeoutMs, 'BAUD_CHANGE_FAIL', 'baud sync');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'BAUD_CHANGE_FAIL')
      return undefined;
    throw error;
  }
}
