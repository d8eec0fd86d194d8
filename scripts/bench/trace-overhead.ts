// What recording the protocol trace costs a flash (issue #10 §3): paced flashes against one
// emulated MC60, trace off and on alternately, side by side in one run; ratios, never pass/fail.
// Usage: npx tsx scripts/bench/trace-overhead.ts [--runs 3] [--rom-kib 512] [--baud 921600]
import { TraceRecorder } from '@station/mtk';
import { flashOnce } from './flash-throughput';
import { formatTable, isMain, numberArg, type Row } from './lib/bench-util';

export interface TraceOverheadOptions {
  runs: number;
  romKib: number;
  baud: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** `runs` flashes each way, interleaved so the machine's load drifts over both alike. */
export async function measureTraceOverhead(options: TraceOverheadOptions): Promise<Row[]> {
  const times = { off: [] as number[], on: [] as number[] };
  const sizes: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    times.off.push((await flashOnce(options.baud, 1, options.romKib * 1024)).durationMs);
    const trace = new TraceRecorder();
    times.on.push((await flashOnce(options.baud, 1, options.romKib * 1024, trace)).durationMs);
    const snapshot = trace.snapshot();
    sizes.push(JSON.stringify(snapshot).length);
  }
  const off = median(times.off);
  const row = (mode: 'off' | 'on', extra: Row): Row => ({
    trace: mode,
    runsMs: times[mode].join(' '),
    medianMs: median(times[mode]),
    vsOff: Number((median(times[mode]) / off).toFixed(3)),
    ...extra,
  });
  return [row('off', { traceBytes: 0 }), row('on', { traceBytes: median(sizes) })];
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const rows = await measureTraceOverhead({
    runs: numberArg(args, 'runs', 3),
    romKib: numberArg(args, 'rom-kib', 512),
    baud: numberArg(args, 'baud', 921600),
  });
  console.log(formatTable(rows));
}
