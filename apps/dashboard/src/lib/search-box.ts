import { parseLabel } from '@station/contracts';

export type SearchBoxReading = { ok: true; imei: string } | { ok: false; message: string };

/**
 * What the explorer's search box was given: an IMEI typed by hand or a module label as a scanner
 * sends it (`IMEI:…;SN:…`, `MC60CA <imei> <sn>`, …), read with the label parser the scan path uses,
 * so a label the line accepts is found here too and a bad one is refused with the same sentence.
 */
export function readSearchBox(text: string): SearchBoxReading {
  const reading = parseLabel(text);
  return reading.ok ? { ok: true, imei: reading.imei } : { ok: false, message: reading.message };
}
