import { hex, readU16be, readU32be, toHex } from '../bytes/endian';
import type { Link } from '../link';
import { ACK, SOC_OK } from './constants';
import { formatJedec, type JedecId } from './flash-table';
import { DA_REPORT_FIELDS } from './report-fields';

/** 198: the sum of the report's fields. */
export const DA_REPORT_SIZE = DA_REPORT_FIELDS.reduce((sum, field) => sum + field.bytes, 0);
/** Deadline for a field the DA sends after slow work (detection, flash scan). */
const SLOW_FIELD_MS = 5000;
/** Deadline for a field that follows the previous one straight away. */
const FIELD_MS = 1000;

const NOR = 0;
const NAND = 54;
const EMMC = NAND + 35;
const RAM = EMMC + 44;
const EXTRA = RAM + 30;
const TAIL = EXTRA + 24;

export interface DaReport {
  norStatus: number;
  flashId: number;
  flashSize: number;
  /** NOR dev codes 1–3: JEDEC manufacturer, memory type, capacity. */
  jedec: JedecId;
  nandStatus: number;
  emmcStatus: number;
  intSramSize: number;
  extRamSize: number;
  efuse: number[];
  downloadStatus: number;
  bootStyle: number;
  socOk: boolean;
}

/** Parses the 198-byte hardware report (reference §2.3, shared-wire §3). */
export function parseDaReport(bytes: Uint8Array): DaReport {
  if (bytes.length !== DA_REPORT_SIZE)
    throw new RangeError(`DA report must be ${DA_REPORT_SIZE} bytes, got ${bytes.length}`);
  return {
    norStatus: readU32be(bytes, NOR),
    flashId: readU16be(bytes, NOR + 6),
    flashSize: readU32be(bytes, NOR + 8),
    jedec: {
      manufacturer: readU16be(bytes, NOR + 16) & 0xff,
      memoryType: readU16be(bytes, NOR + 18) & 0xff,
      capacity: readU16be(bytes, NOR + 20) & 0xff,
    },
    nandStatus: readU32be(bytes, NAND),
    emmcStatus: readU32be(bytes, EMMC),
    intSramSize: readU32be(bytes, RAM + 4),
    extRamSize: readU32be(bytes, RAM + 14),
    efuse: Array.from({ length: 6 }, (_, i) => readU32be(bytes, EXTRA + i * 4)),
    downloadStatus: readU32be(bytes, TAIL + 2),
    bootStyle: readU32be(bytes, TAIL + 6),
    socOk: bytes[TAIL] === ACK && bytes[TAIL + 1] === ACK && bytes[TAIL + 10] === SOC_OK,
  };
}

/** QFlash's "(0x001660C8)" flash id: dev code 3 << 16 | dev code 2 << 8 | dev code 1. */
export function qflashFlashId(jedec: JedecId): number {
  return ((jedec.capacity << 16) | (jedec.memoryType << 8) | jedec.manufacturer) >>> 0;
}

export async function readDaReport(link: Link): Promise<DaReport> {
  link.begin('REPORT');
  // Field by field, as MediaTek's host reads it: a DA that stalls between fields is caught at the
  // field it stalled on, and a slow flash scan before its ACK is given its own, longer deadline.
  const bytes = new Uint8Array(DA_REPORT_SIZE);
  let at = 0;
  for (const field of DA_REPORT_FIELDS) {
    const waitMs = (field.slow ? SLOW_FIELD_MS : FIELD_MS) + link.lineTimeMs(field.bytes);
    const value = await link.recv(
      field.bytes,
      waitMs,
      'DA_NO_RESPONSE',
      `DA hardware report: ${field.name} (byte ${at})`,
    );
    bytes.set(value, at);
    at += field.bytes;
  }
  const report = parseDaReport(bytes);
  link.done({ nor: report.norStatus, jedec: formatJedec(report.jedec), size: report.flashSize });
  if (report.norStatus !== 0) {
    throw link.fail(
      'FLASH_NOT_FOUND',
      `DA report: NOR detection returned ${report.norStatus}`,
      report.norStatus,
    );
  }
  if (!report.socOk) {
    throw link.fail(
      'SOC_CHECK_FAIL',
      `DA report tail is ${toHex(bytes.subarray(TAIL))}, expected 5A 5A … C1`,
    );
  }
  if (report.flashSize === 0)
    throw link.fail('FLASH_NOT_FOUND', `DA report: flash ${hex(report.flashId)} has size 0`);
  return report;
}
