import { xor16 } from '../bytes/checksum';
import { concatBytes, hex, readU16be, u32be } from '../bytes/endian';
import { LINE_BUFFER_BYTES } from '../line-time';
import type { Link } from '../link';
import { BROM_CMD, sendEchoed } from './commands';

/** What MediaTek's downloader passes on MT6261; the non-secure BROM ignores it. */
const SIGNATURE_LENGTH = 0x100;
const CHUNK = 1024;

export interface DaPart {
  loadAddress: number;
  data: Uint8Array;
}

/**
 * SEND_DA (D7): address, length, signature length (echoed), status 0, raw bytes, then the
 * BROM's XOR16 checksum (checked against ours) and status 0. `onBytes` reports upload progress.
 */
export async function sendDa(
  link: Link,
  part: DaPart,
  onBytes: (n: number) => void,
): Promise<void> {
  const what = `SEND_DA ${hex(part.loadAddress, 8)}`;
  link.begin('SEND_DA', { addr: part.loadAddress, len: part.data.length });
  try {
    await sendEchoed(
      link,
      concatBytes(
        Uint8Array.of(BROM_CMD.SEND_DA),
        u32be(part.loadAddress),
        u32be(part.data.length),
        u32be(SIGNATURE_LENGTH),
      ),
      what,
    );
    const status = readU16be(await link.recv(2, 1000, 'DA_DOWNLOAD_FAIL', `${what} status`));
    if (status !== 0)
      throw link.fail(
        'DA_DOWNLOAD_FAIL',
        `${what}: BROM refused with status ${hex(status)}`,
        status,
      );
  } catch (error) {
    throw asDownloadFail(link, error);
  }
  for (let offset = 0; offset < part.data.length; offset += CHUNK) {
    const chunk = part.data.subarray(offset, Math.min(offset + CHUNK, part.data.length));
    // No drain per chunk: the checksum read below allows for everything still buffered.
    await link.send(chunk, { drain: false });
    onBytes(chunk.length);
  }
  // The BROM answers after the last byte has crossed the line; allow for a paced link.
  const reply = await link.recv(
    4,
    3000 + link.lineTimeMs(LINE_BUFFER_BYTES),
    'DA_DOWNLOAD_FAIL',
    `${what} checksum`,
  );
  const expected = xor16(part.data);
  const got = readU16be(reply, 0);
  if (got !== expected) {
    link.done({ checksum: got, expected }, false);
    throw link.fail(
      'DA_CHECKSUM_MISMATCH',
      `${what}: BROM checksum ${hex(got)}, file checksum ${hex(expected)}`,
    );
  }
  const status = readU16be(reply, 2);
  if (status !== 0)
    throw link.fail('DA_DOWNLOAD_FAIL', `${what}: final status ${hex(status)}`, status);
  link.done({ checksum: got });
}

/** JUMP_DA (D5): address echoed, status 0; the DA then starts talking. */
export async function jumpDa(link: Link, address: number): Promise<void> {
  const what = `JUMP_DA ${hex(address, 8)}`;
  link.begin('JUMP_DA', { addr: address });
  try {
    await sendEchoed(link, concatBytes(Uint8Array.of(BROM_CMD.JUMP_DA), u32be(address)), what);
  } catch (error) {
    throw asCode(link, error, 'JUMP_DA_FAIL');
  }
  const status = readU16be(await link.recv(2, 1000, 'JUMP_DA_FAIL', `${what} status`));
  if (status !== 0) throw link.fail('JUMP_DA_FAIL', `${what}: status ${hex(status)}`, status);
  link.done({ status });
}

function asDownloadFail(link: Link, error: unknown): unknown {
  return asCode(link, error, 'DA_DOWNLOAD_FAIL');
}

/** Echo/timeout failures inside SEND_DA/JUMP_DA are reported under the command's own code. */
function asCode(link: Link, error: unknown, code: 'DA_DOWNLOAD_FAIL' | 'JUMP_DA_FAIL'): unknown {
  if (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'BROM_NO_RESPONSE' || error.code === 'BROM_ECHO_MISMATCH')
  ) {
    return link.fail(code, error.message);
  }
  return error;
}
