import { concatBytes, hex, readU32be, u32be } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, CONT, NACK } from './constants';

export const FLASH_RECORD_SIZE = 36;

/** JEDEC id of a serial NOR flash (manufacturer, memory type, capacity). */
export interface JedecId {
  manufacturer: number;
  memoryType: number;
  capacity: number;
}

export function formatJedec(id: JedecId): string {
  return [id.manufacturer, id.memoryType, id.capacity]
    .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
    .join(' ');
}

export function isTerminator(record: Uint8Array): boolean {
  return record[0] === 0xff && record[1] === 0xff && record[2] === 0x00 && record[3] === 0x00;
}

/** Splits a DA file's flash table into records, stopping at the FF FF 00 00 terminator. */
export function splitFlashTable(table: Uint8Array): Uint8Array[] {
  const records: Uint8Array[] = [];
  for (let offset = 0; offset + FLASH_RECORD_SIZE <= table.length; offset += FLASH_RECORD_SIZE) {
    const record = table.subarray(offset, offset + FLASH_RECORD_SIZE);
    if (isTerminator(record)) return records;
    records.push(record);
  }
  return records;
}

/**
 * The configuration burst sent right after the sync (reference §2.2): NACK (no battery check),
 * BROM version 05, boot-loader version FE, NOR CS0|decoder, NAND CS0, NFI ACCCON, EXT_26M, and
 * the number of table records that follow.
 */
export function daConfigBurst(recordCount: number): Uint8Array {
  return concatBytes(
    Uint8Array.of(NACK, 0x05, 0xfe, 0x00, 0x08, 0x00, 0x70, 0x07, 0xff, 0xff, 0x02),
    u32be(recordCount),
  );
}

/**
 * The record count the config burst announces: every record the host may send, the FF FF 00 00
 * terminator included, as MediaTek's downloader counts it (table file length ÷ 36,
 * docs/protocol.md "Field-proven details").
 */
export function announcedRecordCount(records: Uint8Array[]): number {
  return records.length + 1;
}

/**
 * Sends the config burst and the flash table one record at a time until the DA ACKs the record
 * matching its flash (then A5 69), and finishes with 00 00 00 00 (no NAND / BMT). Returns the
 * index of the matching record.
 */
export async function exchangeFlashTable(link: Link, records: Uint8Array[]): Promise<number> {
  const count = announcedRecordCount(records);
  link.begin('CONFIG', { records: count });
  await link.send(daConfigBurst(count));
  const ack = await link.recvByte(2000, 'DA_NO_RESPONSE', 'DA configuration ACK');
  if (ack !== ACK)
    throw link.fail(
      'PROTOCOL_EXCEPTION',
      `DA configuration answered ${hex(ack, 2)}, expected 0x5A`,
    );
  link.done({ answer: 'ACK' });

  const terminator = Uint8Array.of(
    0xff,
    0xff,
    0x00,
    0x00,
    ...new Uint8Array(FLASH_RECORD_SIZE - 4),
  );
  for (let i = 0; i <= records.length; i++) {
    const record = records[i] ?? terminator;
    link.begin('FLASH_TABLE', { record: i });
    await link.send(record);
    const answer = await link.recvByte(2000, 'DA_NO_RESPONSE', `flash table record ${i}`);
    if (answer === CONT && i < records.length) {
      link.done({ answer: 'CONT' });
      continue;
    }
    if (answer === ACK && i < records.length) {
      link.done({ answer: 'ACK' });
      const tail = await link.recv(2, 2000, 'DA_NO_RESPONSE', 'flash table end (A5 69)');
      if (tail[0] !== NACK || tail[1] !== CONT) {
        throw link.fail(
          'PROTOCOL_EXCEPTION',
          `after the matching record the DA sent ${hex(tail[0]!, 2)} ${hex(tail[1]!, 2)}, expected A5 69`,
        );
      }
      await link.send(new Uint8Array(4));
      return i;
    }
    if (answer === NACK) {
      const status = readU32be(
        await link.recv(4, 2000, 'DA_NO_RESPONSE', 'flash table error code'),
      );
      link.done({ answer: 'NACK', error: status }, false);
      throw link.fail(
        'NOR_FLASH_NOT_FOUND',
        `no flash table record matched the module flash (DA error ${status})`,
        status,
      );
    }
    throw link.fail('PROTOCOL_EXCEPTION', `flash table record ${i} answered ${hex(answer, 2)}`);
  }
  throw link.fail('NOR_FLASH_NOT_FOUND', 'the DA accepted no flash table record');
}
