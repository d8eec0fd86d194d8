// Test IMEIs. The emulated jig's label IMEIs are rebuilt here because the apps may not import
// the emulator; packages/emulator/test/virtual-jig.test.ts keeps the two equal.
import { randomInt } from 'node:crypto';
import { imeiCheckDigit } from '@station/contracts';

/** The TAC of the emulated MC60 modules (packages/emulator `syntheticImei`). */
export const EMULATED_TAC = '86135903';

/** A valid IMEI on the emulated TAC with the given 6-digit serial number. */
export function testImei(serial: number): string {
  if (!Number.isInteger(serial) || serial < 0 || serial > 999_999) {
    throw new RangeError(`an IMEI serial is 0 to 999999 (got ${serial})`);
  }
  const body = `${EMULATED_TAC}${String(serial).padStart(6, '0')}`;
  return body + imeiCheckDigit(body);
}

/** The label IMEI of an emulated jig's slot when no scenario sets one (what an operator scans). */
export function labelImei(slot: number): string {
  return testImei(100_000 + slot);
}

// A random start, then consecutive serials: never the same twice in one test process.
let nextSerial = randomInt(1_000_000);

/**
 * A valid IMEI that no emulated label uses (TAC 35999999), different on each call, for modules a
 * test creates itself.
 */
export function uniqueImei(): string {
  const serial = nextSerial;
  nextSerial = (nextSerial + 1) % 1_000_000;
  const body = `35999999${String(serial).padStart(6, '0')}`;
  return body + imeiCheckDigit(body);
}

/** The same 15 digits with a wrong check digit: what a misread label looks like. */
export function withWrongCheckDigit(imei: string): string {
  if (!/^\d{15}$/.test(imei)) throw new RangeError(`not a 15-digit IMEI: "${imei}"`);
  return imei.slice(0, 14) + ((Number(imei[14]) + 1) % 10);
}
