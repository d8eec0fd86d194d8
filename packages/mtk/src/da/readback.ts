import { sum16 } from '../bytes/checksum';
import { concatBytes, hex, readU16be, readU32be, u32be } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, DA_CMD, NACK } from './constants';

const STORAGE_NOR = 0x00;
/** Times one packet may come back with a bad checksum before the read-back fails. */
const MAX_PACKET_RETRIES = 3;

/**
 * DA READ (D6) of NOR flash (mtkclient's MT6261 path): D6 00 addr len packet → 5A; then per
 * packet: data, sum16 BE, host 5A (69 asks for the packet again).
 */
export async function readFlash(
  link: Link,
  address: number,
  length: number,
  packetSize = 4096,
): Promise<Uint8Array> {
  link.begin('READ', { addr: address, len: length });
  await link.send(
    concatBytes(
      Uint8Array.of(DA_CMD.READ, STORAGE_NOR),
      u32be(address),
      u32be(length),
      u32be(packetSize),
    ),
  );
  const answer = await link.recvByte(2000, 'READBACK_FAIL', 'READ command ACK');
  if (answer === NACK) {
    await link.send(Uint8Array.of(NACK));
    const status = readU32be(await link.recv(4, 1000, 'READBACK_FAIL', 'READ error code'));
    link.done({ answer: 'NACK', error: status }, false);
    throw link.fail(
      'READBACK_FAIL',
      `DA refused READ ${hex(address, 8)}+${length} (error ${status})`,
      status,
    );
  }
  if (answer !== ACK) throw link.fail('READBACK_FAIL', `READ answered ${hex(answer, 2)}`);
  link.done({ answer: 'ACK' });
  const out = new Uint8Array(length);
  const timeout = 5000 + link.lineTimeMs(packetSize + 2);
  for (let offset = 0, retries = 0; offset < length;) {
    const size = Math.min(packetSize, length - offset);
    link.begin('READ', { packet: offset / packetSize + 1 });
    const packet = await link.recv(
      size + 2,
      timeout,
      'READBACK_FAIL',
      `READ packet at ${hex(address + offset, 8)}`,
    );
    const data = packet.subarray(0, size);
    if (sum16(data) !== readU16be(packet, size)) {
      link.done({ answer: 'bad checksum', checksum: readU16be(packet, size) }, false);
      if (++retries > MAX_PACKET_RETRIES)
        throw link.fail(
          'READBACK_FAIL',
          `READ packet at ${hex(address + offset, 8)}: bad checksum ${retries} times`,
        );
      await link.send(Uint8Array.of(0x69)); // ask for this packet again
      continue;
    }
    link.done({ answer: 'ACK' });
    retries = 0;
    out.set(data, offset);
    offset += size;
    await link.send(Uint8Array.of(ACK));
    link.progress(offset, length);
  }
  return out;
}
