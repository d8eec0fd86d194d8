// Runs the product's benchmarks in sequence with small defaults and prints one summary table.
// Usage: npm run bench [-- flash|trace|emulator|db|pymtkflasher ...]   (no name = all of them)
// Ratios only (measured side by side in one run), never pass/fail: see docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { measureFlashThroughput } from './bench/flash-throughput';
import { formatTable, type Row } from './bench/lib/bench-util';
import { comparePymtkflasher, pymtkSkipReason } from './bench/pymtk-compare';
import { measureTraceOverhead } from './bench/trace-overhead';

const BENCHES = ['flash', 'trace', 'pymtkflasher', 'emulator', 'db'] as const;
type Bench = (typeof BENCHES)[number];

/** Runs a script in its own process (its own event loop, as in production), returns stdout. */
function runScript(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited with ${code}`)),
    );
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

async function run(name: Bench): Promise<Row[] | string> {
  switch (name) {
    case 'flash':
      return measureFlashThroughput({ baud: 921600, latenciesMs: [0, 1, 16], romKib: 512 });
    case 'trace':
      return measureTraceOverhead({ runs: 3, romKib: 512, baud: 921600 });
    case 'pymtkflasher': {
      const skip = pymtkSkipReason();
      if (skip) return `SKIP: ${skip}`;
      return comparePymtkflasher({ bauds: [460800, 921600], reps: 3, romKib: 256 });
    }
    case 'emulator':
      return emulatorScale();
    case 'db':
      return dbQueries();
  }
}

const picked = process.argv.slice(2).filter((a) => a !== '--');
for (const name of picked)
  if (!(BENCHES as readonly string[]).includes(name))
    throw new Error(`unknown benchmark "${name}": choose from ${BENCHES.join(', ')}`);
const selected = picked.length > 0 ? (picked as Bench[]) : [...BENCHES];
const results: [Bench, Row[] | string][] = [];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`machine: ${cpus().length} cores, node ${process.version}, load ${load()}`);
for (const name of selected) {
  console.log(`\n== ${name} ==`);
  results.push([name, await run(name)]);
}
console.log(`\n==== summary (load after run ${load()}) ====`);
for (const [name, result] of results)
  console.log(`\n[${name}]\n${typeof result === 'string' ? result : formatTable(result)}`);
