import { hex, readU32be } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, DA_CMD } from './constants';

const S_DA_IN_PROGRESS = 3021;
/** Progress reports a FAT format may send; the DA reports whole percents, often repeated. */
const MAX_STEPS = 1000;

export interface FatRange {
  begin: number;
  length: number;
}

/**
 * FORMAT_FAT (B8): erase flag 00, validation 01 (pymtkflasher); status, NOR range, NAND and
 * eMMC ranges, 5A 5A; then status + percent per step, each acknowledged with 5A, until 100 %;
 * then a final 5A.
 */
export async function formatFat(link: Link, stepTimeoutMs = 20_000): Promise<FatRange> {
  link.begin('FORMAT_FAT');
  await link.send(Uint8Array.of(DA_CMD.FORMAT_FAT, 0x00, 0x01));
  const head = await link.recv(4 + 8 + 16 + 2, stepTimeoutMs, 'FORMAT_FAIL', 'FORMAT_FAT set-up');
  const status = readU32be(head, 0);
  if (status !== 0)
    throw link.fail('FORMAT_FAIL', `FORMAT_FAT refused (DA error ${status})`, status);
  const range = { begin: readU32be(head, 4), length: readU32be(head, 8) };
  if (head[28] !== ACK || head[29] !== ACK)
    throw link.fail(
      'FORMAT_FAIL',
      `FORMAT_FAT not allowed (${hex(head[28]!, 2)} ${hex(head[29]!, 2)})`,
    );
  for (let steps = 1; ; steps++) {
    if (steps > MAX_STEPS)
      throw link.fail('FORMAT_FAIL', `FAT format sent ${MAX_STEPS} progress reports without 100 %`);
    const step = await link.recv(5, stepTimeoutMs, 'FORMAT_FAIL', 'FORMAT_FAT progress');
    const stepStatus = readU32be(step, 0);
    const percent = step[4]!;
    if (stepStatus !== 0 && stepStatus !== S_DA_IN_PROGRESS) {
      throw link.fail('FORMAT_FAIL', `FAT format failed (DA error ${stepStatus})`, stepStatus);
    }
    link.progress(percent, 100);
    await link.send(Uint8Array.of(ACK));
    if (percent >= 100) break;
  }
  // Done: 5A, or a NACK-like byte followed by five statistics words (reference §2.10).
  const [verdict] = await link.recv(1, stepTimeoutMs, 'FORMAT_FAIL', 'FORMAT_FAT result');
  if (verdict !== ACK) {
    link.done({ answer: hex(verdict!, 2) }, false);
    await link.recv(5 * 4, stepTimeoutMs, 'FORMAT_FAIL', 'FORMAT_FAT statistics');
    throw link.fail('FORMAT_FAIL', `FAT format ended with ${hex(verdict!, 2)} instead of 5A`);
  }
  link.done({ addr: range.begin, len: range.length });
  return range;
}
