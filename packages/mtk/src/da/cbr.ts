import { hex, readU32be } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, DA_CMD, NACK, S_DA_CBR_NOT_FOUND } from './constants';

/** What GET_CBR_SETTING reports: the CBR's place and shape, or that the flash has none yet. */
export type CbrSetting =
  | { found: false }
  | {
      found: true;
      startBlock: number;
      normalBlocks: number;
      fastBlocks: number;
      spareBlocks: number;
      maxRecordsPerBlock: number;
      totalBlocks: number;
      readOnly: boolean;
      version: number;
    };

/**
 * FORMAT_CBR (56) → 5A, or A5 + error D. MediaTek's downloader sends it right after the baud
 * switch, before the boot loaders (`download_images.c` da_stage, `SV5_CMD_FormatCBR`).
 */
export async function formatCbr(link: Link, timeoutMs = 10_000): Promise<void> {
  link.begin('FORMAT_CBR');
  await link.send(Uint8Array.of(DA_CMD.FORMAT_CBR));
  const answer = await link.recvByte(timeoutMs, 'FORMAT_FAIL', 'FORMAT_CBR answer');
  if (answer === ACK) {
    link.done({ answer: 'ACK' });
    return;
  }
  if (answer !== NACK)
    throw link.fail('PROTOCOL_EXCEPTION', `FORMAT_CBR answered ${hex(answer, 2)}`);
  const status = readU32be(await link.recv(4, 1000, 'FORMAT_FAIL', 'FORMAT_CBR error code'));
  link.done({ answer: 'NACK', error: status }, false);
  throw link.fail('FORMAT_FAIL', `the DA could not format the CBR (DA error ${status})`, status);
}

/**
 * GET_CBR_SETTING (52) → 5A + six words, a read-only byte and the version word, or A5 + error D.
 * 3152 (no CBR) is the normal answer on a first download; the RePhone uploader and MediaTek's
 * FlashTool log go on to MEM without creating one, and so does this host.
 */
export async function getCbrSetting(link: Link, timeoutMs = 5000): Promise<CbrSetting> {
  link.begin('GET_CBR');
  await link.send(Uint8Array.of(DA_CMD.GET_CBR_SETTING));
  const answer = await link.recvByte(timeoutMs, 'DA_NO_RESPONSE', 'GET_CBR_SETTING answer');
  if (answer === NACK) {
    const status = readU32be(await link.recv(4, 1000, 'DA_NO_RESPONSE', 'GET_CBR error code'));
    if (status === S_DA_CBR_NOT_FOUND) {
      link.done({ answer: 'no CBR' });
      return { found: false };
    }
    link.done({ answer: 'NACK', error: status }, false);
    throw link.fail(
      'SET_DOWNLOAD_BLOCK_FAIL',
      `GET_CBR_SETTING refused (DA error ${status})`,
      status,
    );
  }
  if (answer !== ACK)
    throw link.fail('PROTOCOL_EXCEPTION', `GET_CBR_SETTING answered ${hex(answer, 2)}`);
  const body = await link.recv(6 * 4 + 1 + 4, 1000, 'DA_NO_RESPONSE', 'CBR setting');
  const word = (i: number): number => readU32be(body, i * 4);
  const setting: CbrSetting = {
    found: true,
    startBlock: word(0),
    normalBlocks: word(1),
    fastBlocks: word(2),
    spareBlocks: word(3),
    maxRecordsPerBlock: word(4),
    totalBlocks: word(5),
    readOnly: body[24] !== 0,
    version: readU32be(body, 25),
  };
  link.done({ answer: 'CBR', addr: setting.startBlock, len: setting.normalBlocks });
  return setting;
}
