/** Luhn check digit of the first 14 IMEI digits (3GPP TS 23.003 Annex B). */
export function imeiCheckDigit(first14: string): number {
  if (!/^\d{14}$/.test(first14)) throw new RangeError(`expected 14 digits, got "${first14}"`);
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = first14.charCodeAt(i) - 48;
    // Counting from the right end of the 14 digits, every second digit (starting with the last) is doubled.
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidImei(imei: string): boolean {
  return /^\d{15}$/.test(imei) && imeiCheckDigit(imei.slice(0, 14)) === imei.charCodeAt(14) - 48;
}
