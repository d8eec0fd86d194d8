// The station's error catalogue (packages/mtk) as the seed draws from it, most frequent first:
// on a real line the Download Agent upload, the boot ROM handshake and the write fail most,
// setup faults rarely. Causes that blame nobody (a wrong label, a cancel) are not failures.
import type { SeedCatalogue, SeedFailure } from '@station/db/seed';
import { FLASH_ERRORS } from '@station/mtk';

/** Error codes in the order of their share of the seeded failures; the rest follow. */
const MOST_FREQUENT = [2004, 2006, 4008, 4004, 2005, 9101, 4006, 2021, 9102, 4062, 9401, 4011];

const entries = Object.values(FLASH_ERRORS);
const toSeed = (e: (typeof entries)[number]): SeedFailure => ({
  code: e.code,
  name: e.name,
  stage: e.stage,
  retry: e.retry,
  operatorHint: e.operatorHint,
  engineerHint: e.engineerHint,
});

export function seedCatalogue(): SeedCatalogue {
  const rank = (code: number) => {
    const at = MOST_FREQUENT.indexOf(code);
    return at === -1 ? MOST_FREQUENT.length : at;
  };
  const failures = entries
    .filter((e) => e.blame !== 'none')
    .sort((a, b) => rank(a.code) - rank(b.code))
    .map(toSeed);
  return {
    failures,
    jigFailureCode: FLASH_ERRORS.BROM_HANDSHAKE_TIMEOUT.code,
    canceled: toSeed(FLASH_ERRORS.CANCELED),
  };
}
