// The shape of a synthetic line history (issue #10 §6): what `npm run db:seed` writes, as plain
// numbers, so the SQL in seed-attempts.ts stays free of magic constants. Pure, no database.

import { FlashStage } from '../generated/prisma/enums';

/** A failure the seed may record: one entry of the station's error catalogue (packages/mtk). */
export interface SeedFailure {
  code: number;
  name: string;
  /** A flash_stage value: where this failure happens. */
  stage: string;
  /** `power` and `baud` are retried as a new attempt linked by retry_of_id; `never` is not. */
  retry: 'power' | 'baud' | 'never';
  operatorHint: string;
  engineerHint: string;
}

export interface SeedCatalogue {
  /** Most frequent first: the seed gives them a Pareto-like (Zipf) share of the failures. */
  failures: readonly SeedFailure[];
  /** The failure a bad slot adds on top (e.g. the boot ROM handshake timeout): its `code`. */
  jigFailureCode: number;
  /** What an operator's cancel records (FS_CANCELED). */
  canceled: SeedFailure;
}

/** The flash_stage enum in its order: Prisma's generated enum keeps the schema's order. */
export const STAGES = Object.values(FlashStage);

/** Typical milliseconds per stage at 921 600 Bd (the DA upload runs at 115 200 whatever the baud). */
export const STAGE_MS: Record<FlashStage, number> = {
  queued: 60,
  package: 40,
  preflight: 350,
  power: 1800,
  brom: 450,
  da_upload: 11_000,
  da_connect: 700,
  baud: 150,
  format: 2600,
  write: 45_000,
  verify: 4000,
  readback: 2500,
  fat_format: 1200,
  finish: 250,
  postflight: 900,
};

export const FAST_BAUD = 921_600;
/** The next lower baud after a line error (packages/mtk fallbackBauds). */
export const FALLBACK_BAUDS = [460_800, 115_200] as const;

export const STATIONS = 6;
export const SLOTS_PER_STATION = 16;
export const OPERATORS = 18;
/** Slots (1-based over the whole line) that fail far more often than their neighbours. */
export const BAD_SLOTS: ReadonlyMap<number, number> = new Map([
  [2 * SLOTS_PER_STATION + 7, 0.3], // station 3, slot 7
  [4 * SLOTS_PER_STATION + 12, 0.22], // station 5, slot 12
]);
/** First try fails this often on a healthy slot, before the package's factor. */
export const BASE_FAIL_RATE = 0.072;
/** A retry fails again this often; a third try (moved to the next slot) this often. */
export const RETRY_FAIL_RATE = 0.35;
export const MOVE_FAIL_RATE = 0.45;
/** Share of units whose first attempt was interrupted (station restart) or canceled. */
export const INTERRUPTED_RATE = 0.003;
export const CANCELED_RATE = 0.001;
/** Share of attempts started by a script or API key (no operator). */
export const NO_OPERATOR_RATE = 0.01;
/** Share of modules scanned by their whole label rather than the bare IMEI. */
export const KEYED_LABEL_RATE = 0.3;
/** The 14-digit IMEI body of unit 0 (TAC 35209900); each unit adds one, the 15th is Luhn's. */
export const IMEI_BODY_BASE = 35_209_900_000_000;
export const FACTORY_REVISION = 'MC60CAR01A07';

/** Packages in the order the line used them, each for a third of the window. */
export const PACKAGES = [
  { name: 'MC60CA', revision: 'MC60CAR01A12', romBytes: 3_932_160, failFactor: 0.95 },
  { name: 'MC60CA', revision: 'MC60CAR01A13', romBytes: 4_063_232, failFactor: 1.2 },
  { name: 'MC60CA', revision: 'MC60CAR01A14', romBytes: 4_063_232, failFactor: 0.9 },
] as const;

/**
 * Relative scans per UTC hour: three shifts (06–14 busiest, 22–06 lightest), a dip at each
 * shift change and at the breaks.
 */
export const HOUR_WEIGHTS = [
  0.55, 0.55, 0.45, 0.45, 0.55, 0.55, 0.6, 1, 1, 1, 0.95, 0.7, 0.8, 1, 0.6, 0.9, 0.9, 0.9, 0.65,
  0.85, 0.85, 0.85, 0.4, 0.55,
];
/** Relative scans per weekday, Sunday first. */
export const WEEKDAY_WEIGHTS = [0.2, 1, 1, 1, 1, 1, 0.5];

/** 1000 draws of an index in proportion to `weights`: `lut[floor(random * 1000)]` in SQL. */
export function lookupTable(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const lut: number[] = [];
  let cumulative = 0;
  weights.forEach((w, i) => {
    cumulative += w;
    while (lut.length < Math.round((cumulative / total) * 1000)) lut.push(i);
  });
  return lut;
}

/** Zipf-like weights, rank 1 first: a few causes make most of the failures, as on a real line. */
export function paretoWeights(count: number, exponent = 1.3): number[] {
  return Array.from({ length: count }, (_, i) => 1 / (i + 1) ** exponent);
}

/** How many attempts each day of the window gets: `total` split by weekday weight. */
export function attemptsPerDay(total: number, firstDay: Date, days: number): number[] {
  const weights = Array.from(
    { length: days },
    (_, d) => WEEKDAY_WEIGHTS[new Date(firstDay.getTime() + d * 86_400_000).getUTCDay()]!,
  );
  const sum = weights.reduce((a, b) => a + b, 0);
  let given = 0;
  let cumulative = 0;
  return weights.map((w) => {
    cumulative += w;
    const upTo = Math.round((cumulative / sum) * total);
    const count = upTo - given;
    given = upTo;
    return count;
  });
}

/** SQL for the Luhn check digit of `body`, a 14-digit bigint expression (IMEI = body ‖ digit). */
export function luhnDigitSql(body: string): string {
  const terms = Array.from({ length: 14 }, (_, i) => {
    const digit = `((${body} / ${10n ** BigInt(13 - i)}) % 10)`;
    // Positions 2, 4, … from the left are doubled (the check digit will be the 15th).
    return i % 2 === 1 ? `((2 * ${digit}) % 10 + (2 * ${digit}) / 10)` : digit;
  });
  return `((10 - (${terms.join(' + ')}) % 10) % 10)`;
}
