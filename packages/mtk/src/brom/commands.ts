import {
  concatBytes,
  hex,
  readU16be,
  readU32be,
  toHex,
  u16be,
  u32be,
  bytesEqual,
} from '../bytes/endian';
import type { Link } from '../link';

/** Legacy BROM command bytes used on MT6261 (reference §1.4). */
export const BROM_CMD = {
  READ16_LEGACY: 0xa2,
  READ32: 0xd1,
  WRITE16: 0xd2,
  WRITE32: 0xd4,
  JUMP_DA: 0xd5,
  SEND_DA: 0xd7,
} as const;

const CMD_TIMEOUT_MS = 1000;

/** Sends bytes the BROM echoes back and checks the echo byte for byte. */
export async function sendEchoed(link: Link, bytes: Uint8Array, what: string): Promise<void> {
  await link.send(bytes);
  const echo = await link.recv(
    bytes.length,
    CMD_TIMEOUT_MS + link.lineTimeMs(bytes.length),
    'BROM_NO_RESPONSE',
    `${what} echo`,
  );
  if (!bytesEqual(echo, bytes)) {
    link.done({ answer: 'wrong echo', echo: toHex(echo) }, false);
    throw link.fail('BROM_ECHO_MISMATCH', `${what}: sent ${toHex(bytes)}, echoed ${toHex(echo)}`);
  }
}

export async function readStatus(link: Link, expected: number, what: string): Promise<void> {
  const status = readU16be(
    await link.recv(2, CMD_TIMEOUT_MS, 'BROM_NO_RESPONSE', `${what} status`),
  );
  if (status !== expected) {
    link.done({ status, expected }, false);
    throw link.fail(
      'BROM_CMD_FAIL',
      `${what}: status ${hex(status)}, expected ${hex(expected)}`,
      status,
    );
  }
}

/** A2: legacy READ16, no status words. */
export async function read16(link: Link, address: number, count = 1): Promise<number[]> {
  const what = `READ16 ${hex(address, 8)}`;
  link.begin('READ16', { addr: address });
  await sendEchoed(
    link,
    concatBytes(Uint8Array.of(BROM_CMD.READ16_LEGACY), u32be(address), u32be(count)),
    what,
  );
  const data = await link.recv(count * 2, CMD_TIMEOUT_MS, 'BROM_NO_RESPONSE', `${what} data`);
  link.done({ value: readU16be(data, 0) });
  return Array.from({ length: count }, (_, i) => readU16be(data, i * 2));
}

/** D1: READ32 with status words before and after the data. */
export async function read32(link: Link, address: number, count = 1): Promise<number[]> {
  const what = `READ32 ${hex(address, 8)}`;
  link.begin('READ32', { addr: address });
  await sendEchoed(
    link,
    concatBytes(Uint8Array.of(BROM_CMD.READ32), u32be(address), u32be(count)),
    what,
  );
  await readStatus(link, 0, what);
  const data = await link.recv(count * 4, CMD_TIMEOUT_MS, 'BROM_NO_RESPONSE', `${what} data`);
  await readStatus(link, 0, what);
  link.done({ value: readU32be(data, 0) });
  return Array.from({ length: count }, (_, i) => readU32be(data, i * 4));
}

/** D2: WRITE16 of one word; both status words are 0x0001 on MT6261. */
export async function write16(link: Link, address: number, value: number): Promise<void> {
  const what = `WRITE16 ${hex(address, 8)}`;
  link.begin('WRITE16', { addr: address, value });
  await sendEchoed(
    link,
    concatBytes(Uint8Array.of(BROM_CMD.WRITE16), u32be(address), u32be(1)),
    what,
  );
  await readStatus(link, 1, what);
  await sendEchoed(link, u16be(value), `${what} data`);
  await readStatus(link, 1, what);
  link.done();
}

/** D4: WRITE32 of one dword. */
export async function write32(link: Link, address: number, value: number): Promise<void> {
  const what = `WRITE32 ${hex(address, 8)}`;
  link.begin('WRITE32', { addr: address, value });
  await sendEchoed(
    link,
    concatBytes(Uint8Array.of(BROM_CMD.WRITE32), u32be(address), u32be(1)),
    what,
  );
  await readStatus(link, 1, what);
  await sendEchoed(link, u32be(value), `${what} data`);
  await readStatus(link, 1, what);
  link.done();
}
