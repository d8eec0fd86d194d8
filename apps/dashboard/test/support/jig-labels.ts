import { imeiCheckDigit } from '@station/contracts';

/** A valid IMEI on the MC60 TAC 86135903 with this serial (as packages/emulator makes them). */
export function testImei(serial: number): string {
  const body = `86135903${String(serial).padStart(6, '0')}`;
  return `${body}${imeiCheckDigit(body)}`;
}

/**
 * The label of the module in an emulated jig slot: packages/emulator `syntheticImei(100_000 +
 * slot)`. The dashboard may not import the emulator, so the same TAC + serial + Luhn digit is built
 * here.
 */
export const jigLabel = (slot: number): string => testImei(100_000 + slot);
