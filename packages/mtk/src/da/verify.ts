import { packetSums } from '../bytes/packet-sums';
import { hex, readU16be, u16be } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, NACK } from './constants';
import { PACKET_SIZE } from './write';

/**
 * Whole-image checksum after WRITE: per image in MEM order, send sum16 BE; 5A = match,
 * A5 + W = the checksum the DA computed over flash → 4009.
 */
export async function verifyImages(
  link: Link,
  images: Uint8Array[],
  timeoutMs = 10_000,
): Promise<void> {
  for (let i = 0; i < images.length; i++) {
    // The same sums the WRITE packets carried (computed once per image, packet-sums.ts).
    const expected = packetSums(images[i]!, PACKET_SIZE).whole;
    link.begin('VERIFY', { image: i, expected });
    await link.send(u16be(expected));
    const answer = await link.recvByte(timeoutMs, 'DA_NO_RESPONSE', `checksum of image ${i}`);
    if (answer === ACK) {
      link.done({ answer: 'ACK' });
      continue;
    }
    if (answer === NACK) {
      const found = readU16be(
        await link.recv(2, 1000, 'DA_NO_RESPONSE', `flash checksum of image ${i}`),
      );
      link.done({ answer: 'NACK', checksum: found }, false);
      throw link.fail(
        'DOWNLOAD_CHECKSUM_MISMATCH',
        `image ${i}: file sum16 ${hex(expected)}, flash sum16 ${hex(found)}`,
        found,
      );
    }
    throw link.fail('PROTOCOL_EXCEPTION', `checksum of image ${i} answered ${hex(answer, 2)}`);
  }
}
