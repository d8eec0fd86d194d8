// Unit test of when the yield page refetches: on a stored result or a slot status, not on
// progress. Tiles are made by the line view's own reducer; nothing is mocked.
import type { FlashResultEvent } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { flashTileReducer, idleTile, type FlashTileAction } from './flash-tile';
import { resultSignature } from './live-results';

const IMEI = '861359031000019';
const result = (attemptId: string): FlashTileAction => {
  const event: FlashResultEvent = {
    v: 1,
    attemptId,
    stationId: 'line-1',
    slot: 1,
    imei: IMEI,
    outcome: 'passed',
    errorCode: null,
    errorName: null,
    stage: 'postflight',
    reportedImei: IMEI,
    operatorHint: null,
    revisionBefore: null,
    revisionAfter: 'MC60CAR01A13',
    durationMs: 1000,
    endedAt: '2030-01-01T00:01:00.000Z',
  };
  return { type: 'result', event };
};
const progress = (attemptId: string, percent: number): FlashTileAction => ({
  type: 'progress',
  event: { v: 1, attemptId, stationId: 'line-1', slot: 1, imei: IMEI, stage: 'write', percent },
});

describe('result signature', () => {
  it('changes with a stored result and a slot status, not with progress', () => {
    const running = flashTileReducer(idleTile, progress('a1', 10));
    const further = flashTileReducer(running, progress('a1', 60));
    const passed = flashTileReducer(further, result('a1'));
    const suspect = flashTileReducer(passed, {
      type: 'slot-status',
      event: { v: 1, stationId: 'line-1', slot: 1, status: 'suspect', statusReason: 'noisy' },
    });
    const sign = (tile: typeof idleTile) => resultSignature({ 'line-1/1': tile });

    expect(sign(further)).toBe(sign(running));
    expect(sign(passed)).not.toBe(sign(further));
    expect(sign(suspect)).not.toBe(sign(passed));
  });

  it('does not depend on the order tiles were added in', () => {
    const a = flashTileReducer(idleTile, result('a1'));
    expect(resultSignature({ 'x/1': a, 'x/2': idleTile })).toBe(
      resultSignature({ 'x/2': idleTile, 'x/1': a }),
    );
  });
});
