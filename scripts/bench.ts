// Runs the product's benchmarks in sequence and prints one summary table. Each part runs on its
// own: a part that fails becomes a FAILED row with its reason, every other figure is kept, and
// the exit code is non-zero only at the end (docs/benchmarks.md).
// Usage: npm run bench [-- [--full] whole|slots|scan|pymtkflasher|flash|trace|emulator|db|analytics ...]
// No name = all. Small counts by default; --full = the counts docs/benchmarks.md reports
// (real-size package, 3 runs, 1/16/64/128 slots). `analytics` reads the database DATABASE_URL
// names, filled first by `npm run db:seed`.
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { measureFlashThroughput } from './bench/flash-throughput';
import { formatTable, type Row } from './bench/lib/bench-util';
import { REAL_SIZE_PACKAGE } from './bench/lib/stats';
import { measureLineSlots } from './bench/line-slots';
import { measureScanBurst } from './bench/scan-burst';
import { comparePymtkflasher, pymtkSkipReason, REAL_SIZE_ROM_BYTES } from './bench/pymtk-compare';
import { measureTraceOverhead } from './bench/trace-overhead';
import { measureWholeModule, REAL_SIZE_DEFAULTS } from './bench/whole-module';

const BENCHES = [
  'whole',
  'slots',
  'scan',
  'pymtkflasher',
  'flash',
  'trace',
  'emulator',
  'db',
  'analytics',
] as const;
type Bench = (typeof BENCHES)[number];

/** Runs a script in its own process (its own event loop, as in production), returns stdout;
 * a failure names the script's own first error line. */
function runScript(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) return resolve(out);
      const reason = /^(?:\w*Error\w*:|error:)\s*(.+)$/m.exec(err)?.[1]?.trim();
      reject(new Error(`${args.join(' ')} exited with ${code}${reason ? `: ${reason}` : ''}`));
    });
  });
}

async function emulatorScale(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const slots of [1, 32, 128]) {
    const out = await runScript([
      'scripts/bench/emulator-scale.ts',
      '--slots',
      String(slots),
      '--seconds',
      '5',
    ]);
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      achievedVsNominal: { min: number; median: number };
      eventLoopLagMs: { p99: number; max: number };
      rssMiB: number;
    };
    rows.push({
      slots,
      minRateVsNominal: r.achievedVsNominal.min,
      medianRateVsNominal: r.achievedVsNominal.median,
      lagP99Ms: r.eventLoopLagMs.p99,
      lagMaxMs: r.eventLoopLagMs.max,
      rssMiB: r.rssMiB,
    });
  }
  const single = Number(rows[0]!.minRateVsNominal);
  for (const row of rows)
    row.minVsSingleSlot = Number((Number(row.minRateVsNominal) / single).toFixed(3));
  return rows;
}

async function dbQueries(): Promise<Row[]> {
  const out = await runScript(['packages/db/bench/queries.bench.ts', '200000']);
  return [...out.matchAll(/^(.+?)\s+median ([\d.]+) ms/gm)].map((m) => ({
    query: m[1]!.trim(),
    medianMs: Number(m[2]),
  }));
}

/** The analytics reads at a seeded history (scripts/bench/analytics.ts), or why they were skipped. */
async function analytics(): Promise<Row[] | string> {
  const out = await runScript(['scripts/bench/analytics.ts']);
  const last = out.trim().split('\n').pop() ?? '';
  return last.startsWith('SKIP') ? last : (JSON.parse(last) as Row[]);
}

async function run(name: Bench, full: boolean): Promise<Row[] | string> {
  switch (name) {
    case 'whole':
      // Default: the real-size package once at 921600, 1 ms; --full: both bauds and latencies × 3.
      return measureWholeModule(
        full
          ? REAL_SIZE_DEFAULTS
          : { ...REAL_SIZE_DEFAULTS, bauds: [921600], latenciesMs: [1], runs: 1 },
      );
    case 'slots':
      return measureLineSlots({
        slotCounts: full ? [1, 16, 64, 128] : [1, 16],
        rounds: full ? 3 : 1,
        baud: 921600,
        romBytes: 256 * 1024,
        vivaBytes: 64 * 1024,
        timeoutMs: 900_000,
        rig: 'internal',
        rigProcesses: 2,
      });
    case 'scan':
      return measureScanBurst({
        slotCounts: full ? [16, 64, 128] : [16],
        rounds: full ? 3 : 1,
        romBytes: 16 * 1024,
        vivaBytes: 8 * 1024,
        timeoutMs: 600_000,
      });
    case 'pymtkflasher': {
      const skip = pymtkSkipReason();
      if (skip) return `SKIP: ${skip}`;
      return comparePymtkflasher({
        bauds: full ? [460800, 921600] : [921600],
        reps: full ? 3 : 1,
        romBytes: full ? REAL_SIZE_ROM_BYTES : 256 * 1024,
        rxPacing: true,
      });
    }
    case 'flash':
      return measureFlashThroughput({ baud: 921600, latenciesMs: [0, 1, 16], romKib: 512 });
    case 'trace':
      return measureTraceOverhead({ runs: 3, romKib: 512, baud: 921600 });
    case 'emulator':
      return emulatorScale();
    case 'db':
      return dbQueries();
    case 'analytics':
      return analytics();
  }
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const full = args.includes('--full');
const picked = args.filter((a) => a !== '--full');
for (const name of picked)
  if (!(BENCHES as readonly string[]).includes(name))
    throw new Error(`unknown benchmark "${name}": choose from ${BENCHES.join(', ')} (and --full)`);
const selected = picked.length > 0 ? (picked as Bench[]) : [...BENCHES];
const results: [Bench, Row[] | string][] = [];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `machine: ${cpus().length} cores, node ${process.version}, load ${load()}; ` +
    `real-size package ${REAL_SIZE_PACKAGE.romBytes + REAL_SIZE_PACKAGE.vivaBytes} B${full ? ', full counts' : ''}`,
);
for (const name of selected) {
  console.log(`\n== ${name} ==`);
  try {
    results.push([name, await run(name, full)]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(error);
    results.push([name, [{ bench: name, result: `FAILED: ${reason.split('\n')[0]}` }]]);
  }
}
console.log(`\n==== summary (load after run ${load()}) ====`);
for (const [name, result] of results)
  console.log(`\n[${name}]\n${typeof result === 'string' ? result : formatTable(result)}`);
// A part that threw, or marked FAILED rows of its own (one slot count, our host), failed; the
// reference host failing under two-way pacing is a finding of the comparison, not a failure.
const failedRows = results.filter(
  ([, r]) =>
    typeof r !== 'string' &&
    r.some((row) =>
      Object.entries(row).some(([k, v]) => !k.startsWith('pymtk') && String(v).includes('FAILED')),
    ),
).length;
if (failedRows > 0) {
  console.error(`\n${failedRows} benchmark part(s) failed: see FAILED above`);
  process.exitCode = 1;
}
