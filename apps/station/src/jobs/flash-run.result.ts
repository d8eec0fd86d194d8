// FlashRunResult from what the station learned: a protocol failure is an outcome, not an exception.
import {
  FlashBaud,
  type FlashRunPayload,
  type FlashRunResult,
  type FlashStage,
} from '@station/contracts';
import type { FlashError, FlashJobResult, TraceRecorder } from '@station/mtk';

/** A flash that ran (passed, or failed at some stage of runFlashJob). */
export function flashRunResult(
  payload: FlashRunPayload,
  run: FlashJobResult,
  /** Highest byte count seen in the write stage: what a failed write got onto the module. */
  writeBytesSeen: number,
): FlashRunResult {
  const baud = FlashBaud.safeParse(run.flash?.baud);
  return {
    ...failure(payload, run.error),
    stage: run.error?.stage ?? 'postflight',
    stageTimings: Object.fromEntries(
      Object.entries(run.stageTimings).filter((entry): entry is [string, number] => entry[1] >= 0),
    ),
    baud: baud.success ? baud.data : payload.baud,
    bytesWritten: run.flash?.bytes ?? writeBytesSeen,
    revisionBefore: run.revisionBefore ?? null,
    revisionAfter: run.revisionAfter ?? null,
    // The postflight read when the flash got that far, else the preflight one: either names the
    // module that was in the slot, which is what the server needs to protect the label's record.
    imeiRead: run.imei ?? null,
  };
}

/**
 * The result with its protocol trace: always for a failed or canceled flash (what an engineer
 * reads to see where it failed), for a passed one only when the station is told to (TRACE_PASSED).
 */
export function withTrace(
  result: FlashRunResult,
  trace: TraceRecorder,
  tracePassed: boolean,
): FlashRunResult {
  if (result.outcome === 'passed' && !tracePassed) return result;
  return { ...result, trace: trace.snapshot() };
}

/** A flash refused before the port was touched (package, DA or port problems). */
export function refusedResult(payload: FlashRunPayload, error: FlashError): FlashRunResult {
  return {
    ...failure(payload, error),
    stage: error.stage,
    stageTimings: {},
    baud: payload.baud,
    bytesWritten: 0,
    revisionBefore: null,
    revisionAfter: null,
    imeiRead: null,
  };
}

function failure(payload: FlashRunPayload, error: FlashError | undefined) {
  return {
    v: 1 as const,
    attemptId: payload.attemptId,
    outcome: !error ? ('passed' as const) : error.code === 'CANCELED' ? 'interrupted' : 'failed',
    errorCode: error?.mtkCode ?? null,
    errorName: error?.errorName ?? null,
    retryable: error?.retryable ?? false,
    operatorHint: error?.operatorHint ?? null,
    engineerHint: error?.engineerHint ?? null,
    message: error?.message ?? null,
  } satisfies Partial<FlashRunResult>;
}

/**
 * An attempt that never got a result from its flash: the station restarted or shut down while it
 * ran or waited for its slot. Settled as interrupted at the stage the journal last recorded.
 */
export function interruptedResult(input: {
  attemptId: string;
  stage: FlashStage;
  baud: FlashBaud;
  errorName: 'STATION_RESTARTED' | 'STATION_SHUTDOWN' | 'STATION_ERROR';
  message: string;
}): FlashRunResult {
  return {
    v: 1,
    attemptId: input.attemptId,
    outcome: input.errorName === 'STATION_ERROR' ? 'failed' : 'interrupted',
    errorCode: null,
    errorName: input.errorName,
    stage: input.stage,
    retryable: true,
    stageTimings: {},
    baud: input.baud,
    bytesWritten: 0,
    revisionBefore: null,
    revisionAfter: null,
    imeiRead: null,
    operatorHint:
      input.errorName === 'STATION_ERROR'
        ? 'The station could not run this flash: flash the module again; call an engineer if it repeats.'
        : 'The flash was cut short by the station: flash the module again.',
    engineerHint: null,
    message: input.message,
  };
}
