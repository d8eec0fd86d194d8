// Label values kept to a bounded set (a time series per value): error names from the catalogue
// and the server's own names, anything else `other`; never an IMEI or a free text.
import { FLASH_ERRORS } from '@station/mtk';
import { OUTSIDE_CATALOGUE } from '../flash/fault-class';

const KNOWN_ERROR_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(FLASH_ERRORS).map((entry) => entry.name),
  ...OUTSIDE_CATALOGUE,
]);

/** `none` for no error, the name when the catalogue knows it, else `other`. */
export const errorNameLabel = (errorName: string | null | undefined): string =>
  !errorName ? 'none' : KNOWN_ERROR_NAMES.has(errorName) ? errorName : 'other';
