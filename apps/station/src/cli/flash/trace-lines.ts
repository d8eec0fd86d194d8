import { describeTraceEntry, type ProtocolTrace } from '@station/contracts';

/**
 * The trace as `flash --trace` prints it: one line per entry with its time and stage, as the
 * attempt page shows them, and a line where the ring buffer dropped entries.
 */
export function traceLines(trace: ProtocolTrace): string[] {
  const lines = trace.entries.map(
    (entry) =>
      `  ${`+${entry.t} ms`.padStart(10)}  ${entry.stage.padEnd(10)}  ${describeTraceEntry(entry)}`,
  );
  if (trace.gapAt !== null) lines.splice(trace.gapAt, 0, `  … ${trace.dropped} entries dropped …`);
  return ['protocol trace:', ...lines];
}
