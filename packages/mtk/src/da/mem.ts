import { concatBytes, hex, readU32be, u32be } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, DA_CMD, NACK } from './constants';

/** One image as the DA sees it: where it goes in flash and what it is. */
export interface MemBlock {
  /** Flash offset (GFH load address & 0x07FFFFFF). */
  begin: number;
  length: number;
  /** GFH file type (0x0100 ROM, 0x0108 VIVA, 0x7000 app). */
  type: number;
}

export const FLASH_ADDRESS_MASK = 0x07ffffff;

/** MEM (D3) block declarations: D3, A5 (FOTA off), count, then begin/end/type per image. */
export function memHeader(count: number): Uint8Array {
  return Uint8Array.of(DA_CMD.MEM, NACK, count);
}

export function memBlockBytes(block: MemBlock): Uint8Array {
  return concatBytes(u32be(block.begin), u32be(block.begin + block.length - 1), u32be(block.type));
}

/**
 * Declares every image, then follows the DA's pre-format: unchanged-block count + ACK, per
 * image a progress count and that many ACKs, and a final ACK. Erase can be slow, so each
 * progress byte gets its own generous timeout.
 */
export async function declareMemory(
  link: Link,
  blocks: MemBlock[],
  eraseStepTimeoutMs = 10_000,
): Promise<void> {
  await link.send(memHeader(blocks.length));
  for (const block of blocks) {
    link.begin('MEM', { addr: block.begin, len: block.length, type: block.type });
    await link.send(memBlockBytes(block));
    const answer = await link.recvByte(2000, 'DA_NO_RESPONSE', `MEM block ${hex(block.begin, 8)}`);
    if (answer === NACK) {
      const status = readU32be(await link.recv(4, 1000, 'DA_NO_RESPONSE', 'MEM error code'));
      link.done({ answer: 'NACK', error: status }, false);
      throw link.fail(
        'SET_DOWNLOAD_BLOCK_FAIL',
        `DA refused block ${hex(block.begin, 8)}+${block.length} (DA error ${status})`,
        status,
      );
    }
    if (answer !== ACK)
      throw link.fail('PROTOCOL_EXCEPTION', `MEM block answered ${hex(answer, 2)}`);
    link.done({ answer: 'ACK' });
  }
  link.begin('FORMAT', { images: blocks.length });
  const head = await link.recv(
    2,
    eraseStepTimeoutMs,
    'DA_NO_RESPONSE',
    'MEM unchanged-block count',
  );
  if (head[1] !== ACK)
    throw link.fail('FORMAT_FAIL', `pre-format did not start (got ${hex(head[1]!, 2)})`);

  const total = blocks.length;
  for (let i = 0; i < total; i++) {
    const count = readU32be(
      await link.recv(4, eraseStepTimeoutMs, 'FORMAT_FAIL', `pre-format count of image ${i}`),
    );
    for (let step = 0; step < count; step++) {
      const progress = await link.recvByte(
        eraseStepTimeoutMs,
        'FORMAT_FAIL',
        `pre-format of image ${i}`,
      );
      if (progress !== ACK)
        throw link.fail(
          'FORMAT_FAIL',
          `pre-format of image ${i} step ${step} answered ${hex(progress, 2)}`,
        );
      link.progress(i * 1000 + Math.floor(((step + 1) * 1000) / count), total * 1000);
    }
  }
  const done = await link.recvByte(eraseStepTimeoutMs, 'FORMAT_FAIL', 'pre-format end');
  if (done !== ACK) throw link.fail('FORMAT_FAIL', `pre-format ended with ${hex(done, 2)}`);
  link.done({ answer: 'ACK' });
}
