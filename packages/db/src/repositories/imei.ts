import { InvalidImeiError } from '../errors';

/** Validates the shape the database CHECK enforces, so callers get a specific error first. */
export function assertImei(imei: string): string {
  if (!/^[0-9]{15}$/.test(imei)) throw new InvalidImeiError(imei);
  return imei;
}
