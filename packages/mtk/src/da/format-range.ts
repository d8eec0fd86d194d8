import { hex, readU32be, u32be } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, DA_CMD, NACK, S_DA_IN_PROGRESS } from './constants';

/** HW_STORAGE_NOR (serial flash counts as NOR to the MT6261 DA) and NUTL_ERASE (DOWNLOAD.H). */
const STORAGE_NOR = 0x00;
const NUTL_ERASE = 0x00;
const MAX_STEPS = 1000;

/**
 * FORMAT (D4) of one flash range, as MediaTek's `da_FormatFlash`: storage, erase flag, validation,
 * address D, length D → 5A (allowed) → 5A (range ok), each else A5 + error D; then status D +
 * percent B per step, each answered 5A, until status 0; then 5A, or five statistics words.
 */
export async function formatRange(
  link: Link,
  range: { begin: number; length: number },
  stepTimeoutMs = 20_000,
): Promise<void> {
  link.begin('FORMAT', { addr: range.begin, len: range.length });
  await link.send(
    Uint8Array.of(
      DA_CMD.FORMAT,
      STORAGE_NOR,
      NUTL_ERASE,
      0x00,
      ...u32be(range.begin),
      ...u32be(range.length),
    ),
  );
  for (const what of ['FORMAT allowed', 'FORMAT range']) {
    const answer = await link.recvByte(stepTimeoutMs, 'FORMAT_FAIL', what);
    if (answer === ACK) continue;
    if (answer !== NACK)
      throw link.fail('PROTOCOL_EXCEPTION', `${what} answered ${hex(answer, 2)}`);
    const status = readU32be(await link.recv(4, 1000, 'FORMAT_FAIL', `${what} error code`));
    link.done({ answer: 'NACK', error: status }, false);
    throw link.fail(
      'FORMAT_FAIL',
      `the DA refused to format ${hex(range.begin, 8)}+${range.length} (DA error ${status})`,
      status,
    );
  }
  for (let steps = 1; ; steps++) {
    if (steps > MAX_STEPS)
      throw link.fail('FORMAT_FAIL', `FORMAT sent ${MAX_STEPS} progress reports without finishing`);
    const step = await link.recv(5, stepTimeoutMs, 'FORMAT_FAIL', 'FORMAT progress');
    const status = readU32be(step, 0);
    if (status !== 0 && status !== S_DA_IN_PROGRESS)
      throw link.fail('FORMAT_FAIL', `format failed (DA error ${status})`, status);
    link.progress(Math.min(step[4]!, 100), 100);
    await link.send(Uint8Array.of(ACK));
    if (status === 0) break;
  }
  const [verdict] = await link.recv(1, stepTimeoutMs, 'FORMAT_FAIL', 'FORMAT result');
  if (verdict !== ACK) {
    await link.recv(5 * 4, stepTimeoutMs, 'FORMAT_FAIL', 'FORMAT statistics');
    link.done({ answer: hex(verdict!, 2) }, false);
    throw link.fail('FORMAT_FAIL', `format ended with ${hex(verdict!, 2)} and an error report`);
  }
  link.done({ answer: 'ACK' });
}
