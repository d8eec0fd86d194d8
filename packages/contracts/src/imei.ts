import { z } from 'zod';

/** Luhn check digit over the first 14 digits of an IMEI (3GPP TS 23.003 Annex B). */
export function imeiCheckDigit(first14: string): number {
  let sum = 0;
  for (let i = 0; i < 14; i += 1) {
    let digit = Number(first14[i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export const Imei = z
  .string()
  .regex(/^\d{15}$/, 'an IMEI is exactly 15 digits')
  .refine((value) => imeiCheckDigit(value.slice(0, 14)) === Number(value[14]), {
    message: 'IMEI check digit (Luhn) does not match: mistyped or misread label',
  });
export type Imei = z.infer<typeof Imei>;
