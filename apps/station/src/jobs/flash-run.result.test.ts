// Which results carry the protocol trace: failed and canceled flashes always, passed ones only with
// TRACE_PASSED. Pure: real recorder, real FlashError, nothing mocked.
import type { FlashRunResult } from '@station/contracts';
import { FlashError, TraceRecorder, type FlashJobResult } from '@station/mtk';
import { describe, expect, it } from 'vitest';
import { flashRunResult, withTrace } from './flash-run.result';

const payload = {
  v: 1 as const,
  attemptId: 'attempt-1',
  stationId: 'station-1',
  slot: 1,
  imei: '861359031000019',
  packageId: 'demo',
  packageSha256: '0'.repeat(64),
  baud: 921600 as const,
  retryOf: null,
};

function resultOf(error: FlashError | undefined): FlashRunResult {
  const run: FlashJobResult = {
    ok: !error,
    imei: undefined,
    revisionBefore: undefined,
    revisionAfter: undefined,
    flash: undefined,
    error,
    durationMs: 10,
    stageTimings: { write: 10 },
  };
  return flashRunResult(payload, run, 0);
}

function tracedWrite(): TraceRecorder {
  const trace = new TraceRecorder();
  trace.begin('write', 'WRITE', { packet: 5 });
  trace.done('write', { answer: 'NACK', error: 3014 }, false);
  return trace;
}

describe('withTrace', () => {
  const failed = resultOf(new FlashError('DOWNLOAD_FAIL', 'refused', { stage: 'write' }));
  const canceled = resultOf(new FlashError('CANCELED', 'flash canceled', { stage: 'write' }));
  const passed = resultOf(undefined);

  it('puts the trace on failed and canceled results, whatever TRACE_PASSED says', () => {
    for (const result of [failed, canceled]) {
      const traced = withTrace(result, tracedWrite(), false);
      expect(traced.trace?.entries).toEqual([
        expect.objectContaining({ cmd: 'WRITE', reply: { answer: 'NACK', error: 3014 } }),
      ]);
    }
    expect(canceled.outcome).toBe('interrupted');
  });

  it('leaves it off passed results unless TRACE_PASSED is true', () => {
    expect(withTrace(passed, tracedWrite(), false)).not.toHaveProperty('trace');
    expect(withTrace(passed, tracedWrite(), true).trace?.entries).toHaveLength(1);
  });
});
