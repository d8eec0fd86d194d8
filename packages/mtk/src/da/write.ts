import { packetSums } from '../bytes/packet-sums';
import { hex, readU32be } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, CONT, DA_CMD, FLUSH_CONT, FLUSH_DONE, NACK } from './constants';

export const PACKET_SIZE = 4096;
const MAX_RETRIES = 3;
const NO_DRAIN = { drain: false } as const;
/** DA UART errors after which the packet is simply sent again (reference §2.8). */
const RETRANSMIT_STATUS = new Set([3061, 3062, 3063, 3064, 3065]);

export interface WriteOptions {
  packetSize?: number;
  /** Time for the DA to program one packet (erase may be interleaved). */
  packetTimeoutMs?: number;
  /** Called after every accepted packet with the bytes written so far. */
  onBytes?: (done: number) => void;
}

/**
 * WRITE (D5): ACK, erase method + packet length, ACK ACK; then per 4 KiB packet
 * `5A + frame + sum16 BE` answered 69, or A5 + error → wait for 5A, send 69, resend (≤ 3 times).
 * Ends with the DA's three ACKs. Images go back to back in MEM order.
 */
export async function writeImages(
  link: Link,
  images: Uint8Array[],
  options: WriteOptions = {},
): Promise<void> {
  const packetSize = options.packetSize ?? PACKET_SIZE;
  const packetTimeoutMs = options.packetTimeoutMs ?? 10_000;
  link.begin('WRITE', { packetSize });
  await link.send(Uint8Array.of(DA_CMD.WRITE));
  const ack = await link.recvByte(2000, 'DA_NO_RESPONSE', 'WRITE command ACK');
  if (ack !== ACK) throw await daRefusal(link, ack, 'WRITE command');
  await link.send(
    Uint8Array.of(
      0x00,
      (packetSize >>> 24) & 0xff,
      (packetSize >>> 16) & 0xff,
      (packetSize >>> 8) & 0xff,
      packetSize & 0xff,
    ),
  );
  const ready = await link.recv(2, packetTimeoutMs, 'DA_NO_RESPONSE', 'WRITE set-up ACKs');
  if (ready[0] !== ACK || ready[1] !== ACK)
    throw link.fail(
      'DOWNLOAD_FAIL',
      `WRITE set-up answered ${hex(ready[0]!, 2)} ${hex(ready[1]!, 2)}`,
    );
  link.done({ answer: 'ACK' });

  // One frame buffer for the whole download: no allocation per packet.
  const frame = new Uint8Array(1 + packetSize + 2);
  frame[0] = ACK;
  let done = 0;
  /** 1-based over the whole download, as the trace numbers packets. */
  let packetNumber = 0;
  const timeout = packetTimeoutMs + link.lineTimeMs(frame.length);
  for (let index = 0; index < images.length; index++) {
    const image = images[index]!;
    const sums = packetSums(image, packetSize).packets;
    for (let offset = 0; offset < image.length; offset += packetSize) {
      const length = Math.min(packetSize, image.length - offset);
      frame.set(image.subarray(offset, offset + length), 1);
      const checksum = sums[offset / packetSize]!;
      frame[1 + length] = checksum >>> 8;
      frame[2 + length] = checksum & 0xff;
      const packet = frame.subarray(0, 3 + length);
      await sendPacket(link, packet, (packetNumber += 1), timeout);
      done += length;
      options.onBytes?.(done);
    }
  }
  link.begin('WRITE_END', { packets: packetNumber });
  const tail = await link.recv(3, packetTimeoutMs, 'DOWNLOAD_FAIL', 'end of WRITE (3 ACKs)');
  if (tail[0] !== ACK || tail[1] !== ACK || tail[2] !== ACK) {
    throw link.fail(
      'DOWNLOAD_FAIL',
      `end of WRITE answered ${hex(tail[0]!, 2)} ${hex(tail[1]!, 2)} ${hex(tail[2]!, 2)}`,
    );
  }
  link.done({ answer: 'ACK' });
}

async function sendPacket(
  link: Link,
  packet: Uint8Array,
  number: number,
  timeoutMs: number,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    link.begin('WRITE', { packet: number });
    // No drain: the 69 comes after the line has carried the packet, and `timeoutMs` allows for it.
    await link.send(packet, NO_DRAIN);
    const answer = await link.recvByte(timeoutMs, 'DOWNLOAD_FAIL', 'WRITE packet answer');
    if (answer === CONT) {
      link.done({ answer: 'CONT' });
      return;
    }
    if (answer !== NACK)
      throw link.fail('PROTOCOL_EXCEPTION', `WRITE packet answered ${hex(answer, 2)}`);
    const status = readU32be(await link.recv(4, 2000, 'DOWNLOAD_FAIL', 'WRITE error code'));
    link.done({ answer: 'NACK', error: status }, false);
    if (!RETRANSMIT_STATUS.has(status)) {
      throw link.fail('DOWNLOAD_FAIL', `DA refused a packet with error ${status}`, status);
    }
    if (attempt >= MAX_RETRIES) {
      await link.send(Uint8Array.of(NACK));
      throw link.fail(
        'DOWNLOAD_FAIL',
        `packet refused ${attempt + 1} times (last DA error ${status})`,
        status,
      );
    }
    link.begin('RETRANSMIT', { packet: number, attempt: attempt + 2 });
    // The DA flushes its receive buffer (E1 … E2 while busy), then says 5A; we answer 69 and resend.
    const flushDeadline = Date.now() + timeoutMs;
    for (;;) {
      const byte = await link.recvByte(timeoutMs, 'DOWNLOAD_FAIL', 'DA ready for retransmission');
      if (byte === ACK) break;
      if (Date.now() > flushDeadline)
        throw link.fail('DOWNLOAD_FAIL', `the DA kept flushing for over ${timeoutMs} ms`);
      if (byte !== FLUSH_CONT && byte !== FLUSH_DONE) {
        throw link.fail(
          'PROTOCOL_EXCEPTION',
          `waiting for retransmission the DA sent ${hex(byte, 2)}`,
        );
      }
    }
    await link.send(Uint8Array.of(CONT));
    link.done({ answer: 'ACK' });
  }
}

/** A5 + error D after a command, or any other unexpected byte. */
async function daRefusal(link: Link, answer: number, what: string): Promise<Error> {
  if (answer === NACK) {
    const status = readU32be(await link.recv(4, 1000, 'DA_NO_RESPONSE', `${what} error code`));
    return link.fail('DOWNLOAD_FAIL', `${what} refused by the DA (error ${status})`, status);
  }
  return link.fail('PROTOCOL_EXCEPTION', `${what} answered ${hex(answer, 2)}`);
}
