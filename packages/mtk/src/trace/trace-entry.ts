// The trace's shape as packages/contracts has it (ProtocolTrace, TraceEntry, TRACE_MAX_ENTRIES):
// a copy, since mtk depends on nothing; apps/station/src/trace-contract.test.ts keeps the two equal.
import type { FlashStage } from '../errors/stages';

/** Argument or reply fields: `addr`, `len`, `packet`, `checksum`, `answer`, `error`, … */
export type TraceFields = Record<string, number | string>;

export interface TraceEntry {
  /** Milliseconds since the trace began. */
  t: number;
  stage: FlashStage;
  cmd: string;
  args?: TraceFields;
  reply?: TraceFields;
  ok: boolean;
  /** Consecutive like entries folded into this one. */
  repeat?: number;
}

export interface ProtocolTrace {
  v: 1;
  startedAt: string;
  entries: TraceEntry[];
  dropped: number;
  gapAt: number | null;
}

/** Entries one trace may hold (contracts' TRACE_MAX_ENTRIES). */
export const TRACE_MAX_ENTRIES = 400;
