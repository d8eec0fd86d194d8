import { randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562: 48-bit Unix milliseconds, version, random bits), the id kind Prisma's
 * `uuid(7)` default makes, for rows whose id must be known before the INSERT. Ids made by this
 * process increase (a 12-bit counter within one millisecond, RFC 9562 method 1), so ordering by
 * (started_at, id) follows the order attempts were opened here.
 */
export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = randomBytes(2).readUInt16BE(0) & 0x3ff; // leave room to count up
  } else if (sequence < 0xfff) {
    sequence += 1;
  } else {
    lastMs += 1; // 4096 ids in one millisecond: borrow the next one
    sequence = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes.writeUInt16BE(0x7000 | sequence, 6);
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` can be cast to Postgres `uuid` (anything else cannot name a row). */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
