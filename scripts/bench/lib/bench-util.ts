// Small helpers shared by the benchmarks: arguments, medians, line limits, a summary table and
// a temp directory that is always removed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `--name value` from argv, or the fallback. */
export function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, got "${args[i + 1]}"`);
  return value;
}

/** `--name a,b,c` as numbers. */
export function listArg(args: string[], name: string, fallback: number[]): number[] {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const values = String(args[i + 1])
    .split(',')
    .map(Number);
  if (values.some((v) => !Number.isFinite(v)))
    throw new Error(`--${name} needs numbers separated by commas, got "${args[i + 1]}"`);
  return values;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Time to move `bytes` over a UART at `baud`, 10 bits per byte (start + 8 + stop), in ms. */
export function lineMs(bytes: number, baud: number): number {
  return (bytes * 10 * 1000) / baud;
}

export type Row = Record<string, string | number>;

/** Fixed-width table of rows (all rows share the first row's columns). */
export function formatTable(rows: Row[]): string {
  if (rows.length === 0) return '(no rows)';
  const columns = Object.keys(rows[0]!);
  const cell = (v: string | number | undefined) =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : (v ?? '');
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i]!)).join('  ');
  return [
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
  ].join('\n');
}

/** Runs `body` with a fresh temp dir that is removed afterwards, whatever happens. */
export async function withTempDir<T>(
  prefix: string,
  body: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** True when this module is the script node was started with (not imported by the runner). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(url) === resolve(process.argv[1]);
}
