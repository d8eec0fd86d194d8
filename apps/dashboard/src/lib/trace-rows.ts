import { describeTraceEntry, type FlashStage, type ProtocolTrace } from '@station/contracts';

export type TraceRow =
  | { kind: 'entry'; index: number; offset: string; stage: FlashStage; text: string; ok: boolean }
  | { kind: 'gap'; dropped: number; text: string };

/** What the attempt page says when the station stored no trace. */
export const NO_TRACE =
  'No protocol trace was recorded for this attempt (stations store it for failed attempts; passed ones when TRACE_PASSED is on)';

/** Milliseconds since the trace began as the timeline shows them: "+0.000 s", "+12.345 s". */
export const traceOffset = (ms: number): string => `+${(ms / 1000).toFixed(3)} s`;

/**
 * The trace as the attempt page's timeline: one row per entry, decoded by the contract's
 * describeTraceEntry, and a row for the entries the ring buffer let go, where `gapAt` puts them.
 */
export function traceRows(trace: ProtocolTrace): TraceRow[] {
  const rows: TraceRow[] = [];
  const gap = (): TraceRow => ({
    kind: 'gap',
    dropped: trace.dropped,
    text: `${trace.dropped} ${trace.dropped === 1 ? 'entry' : 'entries'} not kept (the station's trace buffer was full)`,
  });
  trace.entries.forEach((entry, index) => {
    if (trace.gapAt === index && trace.dropped > 0) rows.push(gap());
    rows.push({
      kind: 'entry',
      index,
      offset: traceOffset(entry.t),
      stage: entry.stage,
      text: describeTraceEntry(entry),
      ok: entry.ok,
    });
  });
  if (trace.gapAt !== null && trace.gapAt >= trace.entries.length && trace.dropped > 0)
    rows.push(gap());
  return rows;
}
