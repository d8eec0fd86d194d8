// Pure arithmetic of the honest benchmarks: the pure line time a flash is judged against, the
// three-number summary of repeated runs, and rates. No I/O, so it is unit-tested.

/** Sizes of a real MT2502 package (RePhone W15.19, reference §4.3): ROM and VIVA bytes. */
export const REAL_SIZE_PACKAGE = { romBytes: 1_794_256, vivaBytes: 3_151_596 } as const;

/** The boot ROM's fixed rate: the DA is uploaded at it (no BROM speed-up). */
export const BROM_BAUD = 115200;

/** Time to move `bytes` over a UART at `baud`, 10 bits per byte (start + 8 + stop), in ms. */
export function lineMs(bytes: number, baud: number): number {
  return (bytes * 10 * 1000) / baud;
}

/**
 * The pure line time of one module: the DA at the boot-ROM baud plus the images at the DA baud.
 * Nothing for USB latency, packet headers, answers, erase or AT checks: everything above it is
 * overhead the flash is charged with.
 */
export function pureLineMs(daBytes: number, imageBytes: number, daBaud: number): number {
  return lineMs(daBytes, BROM_BAUD) + lineMs(imageBytes, daBaud);
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: number[]): Spread {
  if (values.length === 0) throw new RangeError('no values to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/** "min / median / max" with `digits` decimals, as the tables print it. */
export function formatSpread(s: Spread, digits = 3): string {
  return [s.min, s.median, s.max].map((v) => v.toFixed(digits)).join(' / ');
}

/** Modules per hour when `modules` finished within `wallMs`. */
export function modulesPerHour(modules: number, wallMs: number): number {
  if (wallMs <= 0) throw new RangeError(`wall time must be positive (got ${wallMs} ms)`);
  return (modules * 3_600_000) / wallMs;
}

/**
 * Modules per hour while every slot was loaded: each slot's modules one after another, the next
 * scanned as the last one's result arrived. The window runs from the last slot's first scan to
 * the first slot's last result (before it, slots were still being loaded; after it, emptying), and
 * counts the results inside it. Undefined when a slot flashed fewer than two modules or the
 * window is empty: the ramps would be all there is.
 */
export function steadyModulesPerHour(
  slots: { scannedAt: number; resultAt: number }[][],
): number | undefined {
  if (slots.length === 0 || slots.some((modules) => modules.length < 2)) return undefined;
  const from = Math.max(...slots.map((modules) => modules[0]!.scannedAt));
  const to = Math.min(...slots.map((modules) => modules.at(-1)!.resultAt));
  if (to <= from) return undefined;
  const done = slots.flat().filter((m) => m.resultAt > from && m.resultAt <= to).length;
  return modulesPerHour(done, to - from);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new RangeError('no values for a percentile');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/**
 * `stage=median` (ms, nearest rank) per stage in `order`, stages no module reported or whose
 * median is under `minMs` left out: which stage a row's modules spent their time in.
 */
export function stageMedians(
  stageMs: ReadonlyMap<string, number[]>,
  order: readonly string[],
  minMs = 50,
): string {
  return order
    .filter((stage) => (stageMs.get(stage)?.length ?? 0) > 0)
    .map((stage) => [stage, Math.round(percentile(stageMs.get(stage)!, 50))] as const)
    .filter(([, ms]) => ms >= minMs)
    .map(([stage, ms]) => `${stage}=${ms}`)
    .join(' ');
}
