// IMEI helpers: Luhn check digit (3GPP TS 23.003 Annex B) and deterministic test IMEIs.

export function imeiCheckDigit(first14: string): number {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let digit = Number(first14[i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidImei(imei: string): boolean {
  return /^\d{15}$/.test(imei) && imeiCheckDigit(imei.slice(0, 14)) === Number(imei[14]);
}

/** A valid IMEI on the MC60 TAC 86135903 with the given serial number. */
export function syntheticImei(serial: number): string {
  const body = `86135903${String(serial % 1_000_000).padStart(6, '0')}`;
  return body + imeiCheckDigit(body);
}

/** Another valid IMEI that differs from `imei` (the "IMEI different from label" fault). */
export function otherImei(imei: string): string {
  const serial = Number(imei.slice(8, 14));
  return syntheticImei((serial + 500_000) % 1_000_000);
}
