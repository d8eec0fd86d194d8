import { sum16 } from '../bytes/checksum';
import { concatBytes, hex, readU16le, readU32be, readU32le, u16be, u32be } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, CONT, DA_CMD, FLASH_DEV_SF, NACK } from './constants';

/** What the DA needs of one boot loader: its bytes and the GFH fields of its profile. */
export interface BootLoaderImage {
  name: string;
  data: Uint8Array;
  fileType: number;
  loadAddress: number;
  fileLength: number;
  maxSize: number;
  contentOffset: number;
  /** GFH FILE_INFO attribute word (BL_FILEINFO_ATTR). */
  fileInfoAttr: number;
  /** GFH_BL_INFO attribute word (BL_ATTRIBUTE). */
  blAttr: number;
}

const GFH_BL_INFO = 0x0001;
/** MediaTek's host walks at most ten GFH blocks looking for BL_INFO (`da_write_boot_loader`). */
const MAX_GFH_BLOCKS = 10;
export const BOOT_LOADER_PACKET = 4096;

/** BL_INFO's attribute word, or undefined when the first ten GFH blocks hold no BL_INFO. */
export function blInfoAttribute(data: Uint8Array): number | undefined {
  let offset = 0;
  for (let i = 0; i < MAX_GFH_BLOCKS && offset + 12 <= data.length; i++) {
    if (data[offset] !== 0x4d || data[offset + 1] !== 0x4d || data[offset + 2] !== 0x4d)
      return undefined;
    const size = readU16le(data, offset + 4);
    if (readU16le(data, offset + 6) === GFH_BL_INFO) return readU32le(data, offset + 8);
    if (size === 0) return undefined;
    offset += size;
  }
  return undefined;
}

/**
 * One boot loader's profile as MediaTek's host sends it (`da_write_boot_loader` 4.1–4.14, the
 * RePhone FlashTool log shows each value): magic 5A, dev 07, type W, begin D, boundary D
 * (load + max size, or load + length when max is FFFFFFFF), BL attr D, max size D, AC enable 00,
 * AC offset D (= content offset), AC length 0, size D, reserved 00, align 00, file-info attr D.
 */
export function bootLoaderProfile(bl: BootLoaderImage): Uint8Array {
  const boundary =
    bl.maxSize === 0xffffffff ? bl.loadAddress + bl.fileLength : bl.loadAddress + bl.maxSize;
  return concatBytes(
    Uint8Array.of(ACK, FLASH_DEV_SF),
    u16be(bl.fileType),
    u32be(bl.loadAddress),
    u32be(boundary >>> 0),
    u32be(bl.blAttr),
    u32be(bl.maxSize),
    Uint8Array.of(0),
    u32be(bl.contentOffset),
    u32be(0),
    u32be(bl.fileLength),
    Uint8Array.of(0, 0),
    u32be(bl.fileInfoAttr),
  );
}

/**
 * FORMAT_HB (55 07) then DOWNLOAD_BLOADER (51): packet length, device type, header-block check
 * (5A first download, 69 update), count, "format HB" 5A + "don't check HB" A5, one profile per
 * boot loader, profiles set, self-update check, the images in 4 KiB packets (5A + data + sum16
 * → 69; MediaTek's host does not retransmit here: any other answer ends it), then 5A + status D.
 * Sequence: `da_stage.c` da_write_boot_loader, RePhone `DA_DownloadBootLoader` and its log.
 */
export async function writeBootLoaders(
  link: Link,
  bootLoaders: BootLoaderImage[],
  options: { onBytes?: (done: number) => void; packetTimeoutMs?: number } = {},
): Promise<number> {
  const timeoutMs = options.packetTimeoutMs ?? 10_000;
  link.begin('FORMAT_HB', { dev: FLASH_DEV_SF });
  await link.send(Uint8Array.of(DA_CMD.FORMAT_HB, FLASH_DEV_SF));
  const hb = await link.recvByte(timeoutMs, 'DOWNLOAD_FAIL', 'FORMAT_HB answer');
  if (hb !== ACK) {
    // MediaTek's host only warns here ("Format HB error") and carries on; so does this one.
    const status =
      hb === NACK ? readU32be(await link.recv(4, 1000, 'DOWNLOAD_FAIL', 'FORMAT_HB error')) : hb;
    link.done({ answer: 'NACK', error: status }, false);
  } else link.done({ answer: 'ACK' });

  link.begin('DOWNLOAD_BL', { images: bootLoaders.length });
  await link.send(Uint8Array.of(DA_CMD.DOWNLOAD_BLOADER));
  await expectAck(link, 'DOWNLOAD_BLOADER (code region access)', timeoutMs);
  await link.send(concatBytes(u32be(BOOT_LOADER_PACKET), Uint8Array.of(FLASH_DEV_SF)));
  await expectAck(link, 'boot-loader flash device type', timeoutMs);
  const header = await link.recvByte(timeoutMs, 'DOWNLOAD_FAIL', 'header-block check');
  if (header !== ACK && header !== CONT) await refusal(link, header, 'header-block check');
  await link.send(concatBytes(u32be(bootLoaders.length), Uint8Array.of(ACK, NACK)));
  await expectAck(link, 'header-block format', timeoutMs);
  for (const bl of bootLoaders) {
    await link.send(bootLoaderProfile(bl));
    await expectAck(link, `${bl.name} profile`, timeoutMs);
  }
  await expectAck(link, 'boot-loader profiles set', timeoutMs);
  await expectAck(link, 'boot-loader self-update check', timeoutMs);
  link.done({ answer: header === ACK ? 'first download' : 'update' });

  const frame = new Uint8Array(1 + BOOT_LOADER_PACKET + 2);
  frame[0] = ACK;
  let done = 0;
  let packet = 0;
  for (const bl of bootLoaders) {
    for (let offset = 0; offset < bl.data.length; offset += BOOT_LOADER_PACKET) {
      const data = bl.data.subarray(offset, Math.min(offset + BOOT_LOADER_PACKET, bl.data.length));
      frame.set(data, 1);
      const checksum = sum16(data);
      frame[1 + data.length] = checksum >>> 8;
      frame[2 + data.length] = checksum & 0xff;
      link.begin('BL_PACKET', { packet: (packet += 1) });
      await link.send(frame.subarray(0, 3 + data.length), { drain: false });
      const answer = await link.recvByte(
        timeoutMs + link.lineTimeMs(frame.length),
        'DOWNLOAD_FAIL',
        `${bl.name} packet answer`,
      );
      if (answer !== CONT) await refusal(link, answer, `${bl.name} packet at ${hex(offset, 8)}`);
      link.done({ answer: 'CONT' });
      done += data.length;
      options.onBytes?.(done);
    }
  }
  link.begin('BL_END');
  const end = await link.recvByte(timeoutMs, 'DOWNLOAD_FAIL', 'end of boot-loader download');
  if (end !== ACK) await refusal(link, end, 'end of boot-loader download');
  const status = readU32be(
    await link.recv(4, 1000, 'DOWNLOAD_FAIL', 'boot-loader download status'),
  );
  link.done({ answer: 'ACK', status });
  return status;
}

async function expectAck(link: Link, what: string, timeoutMs: number): Promise<void> {
  const answer = await link.recvByte(timeoutMs, 'DOWNLOAD_FAIL', what);
  if (answer !== ACK) await refusal(link, answer, what);
}

/** A5 (or any non-ACK MediaTek's host reads an error word after) + error D → DOWNLOAD_FAIL. */
async function refusal(link: Link, answer: number, what: string): Promise<never> {
  if (answer === NACK) {
    const status = readU32be(await link.recv(4, 1000, 'DOWNLOAD_FAIL', `${what} error code`));
    link.done({ answer: 'NACK', error: status }, false);
    throw link.fail('DOWNLOAD_FAIL', `${what} refused by the DA (error ${status})`, status);
  }
  link.done({ answer: hex(answer, 2) }, false);
  throw link.fail('PROTOCOL_EXCEPTION', `${what} answered ${hex(answer, 2)}`);
}
