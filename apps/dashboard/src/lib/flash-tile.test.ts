// Unit test of a slot tile's flash state machine; nothing is mocked.
import { imeiCheckDigit, type FlashProgressEvent, type FlashResultEvent } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import {
  acceptsScan,
  flashTileReducer,
  idleTile,
  type FlashTile,
  type FlashTileAction,
} from './flash-tile';

const imei = (serial: string) => `86135903${serial}${imeiCheckDigit(`86135903${serial}`)}`;
const IMEI = imei('100001');

const progress = (attemptId: string, stage: string, percent: number): FlashTileAction => {
  const event: FlashProgressEvent = {
    v: 1,
    attemptId,
    stationId: 'line-1',
    slot: 1,
    imei: IMEI,
    stage,
    percent,
  };
  return { type: 'progress', event };
};

const result = (attemptId: string, outcome: FlashResultEvent['outcome']): FlashTileAction => {
  const passed = outcome === 'passed';
  const event: FlashResultEvent = {
    v: 1,
    attemptId,
    stationId: 'line-1',
    slot: 1,
    imei: IMEI,
    outcome,
    errorCode: passed ? null : 2004,
    errorName: passed ? null : 'S_BROM_DOWNLOAD_DA_FAIL',
    stage: passed ? 'postflight' : 'da-upload',
    operatorHint: passed ? null : 'Move the module to another slot',
    revisionBefore: 'MC60CAR01A12',
    revisionAfter: passed ? 'MC60CAR01A13' : null,
    durationMs: 1234,
  };
  return { type: 'result', event };
};

const accepted = (attemptId: string): FlashTileAction => ({
  type: 'accepted',
  response: { attemptId, stationId: 'line-1', slot: 1, imei: IMEI, packageId: 'demo' },
});

const run = (...actions: FlashTileAction[]): FlashTile =>
  actions.reduce(flashTileReducer, idleTile);

describe('flashTileReducer', () => {
  it('goes idle → submitting → running(stage, percent) → passed', () => {
    const submitting = run({ type: 'submit', imei: IMEI });
    expect(submitting).toEqual({ kind: 'submitting', imei: IMEI, early: [] });
    expect(acceptsScan(submitting)).toBe(false);

    const waiting = flashTileReducer(submitting, accepted('a1'));
    expect(waiting).toEqual({
      kind: 'running',
      attemptId: 'a1',
      imei: IMEI,
      stage: null,
      percent: 0,
    });

    const writing = flashTileReducer(waiting, progress('a1', 'write', 42.5));
    expect(writing).toMatchObject({ kind: 'running', stage: 'write', percent: 42.5 });
    expect(acceptsScan(writing)).toBe(false);

    const done = flashTileReducer(writing, result('a1', 'passed'));
    expect(done.kind).toBe('finished');
    expect(done.kind === 'finished' && done.result.revisionAfter).toBe('MC60CAR01A13');
    expect(acceptsScan(done)).toBe(true);
  });

  it('never passes on progress alone, even at 100 %', () => {
    const tile = run(
      { type: 'submit', imei: IMEI },
      accepted('a1'),
      progress('a1', 'postflight', 100),
    );
    expect(tile).toMatchObject({ kind: 'running', stage: 'postflight', percent: 100 });
  });

  it('shows a failure with its error and hint', () => {
    const tile = run({ type: 'submit', imei: IMEI }, accepted('a1'), result('a1', 'failed'));
    expect(tile.kind === 'finished' && tile.result).toMatchObject({
      outcome: 'failed',
      errorName: 'S_BROM_DOWNLOAD_DA_FAIL',
      operatorHint: 'Move the module to another slot',
    });
  });

  it('ignores progress and results of other attempts', () => {
    const running = run({ type: 'submit', imei: IMEI }, accepted('a1'), progress('a1', 'brom', 5));
    expect(flashTileReducer(running, progress('old', 'write', 90))).toBe(running);
    expect(flashTileReducer(running, result('old', 'passed'))).toBe(running);
  });

  it('ignores progress that arrives after the result', () => {
    const done = run({ type: 'submit', imei: IMEI }, accepted('a1'), result('a1', 'failed'));
    expect(flashTileReducer(done, progress('a1', 'write', 99))).toBe(done);
    expect(flashTileReducer(done, result('a1', 'passed'))).toBe(done);
  });

  it('ignores events when nothing runs on the tile', () => {
    expect(flashTileReducer(idleTile, progress('a1', 'write', 10))).toBe(idleTile);
    expect(flashTileReducer(idleTile, result('a1', 'passed'))).toBe(idleTile);
  });

  it('keeps events that beat the POST answer and replays only its own attempt', () => {
    const tile = run(
      { type: 'submit', imei: IMEI },
      progress('other', 'write', 70),
      progress('a1', 'brom', 3),
      result('a1', 'failed'),
      accepted('a1'),
    );
    expect(tile.kind === 'finished' && tile.result.attemptId).toBe('a1');
  });

  it('shows a refused POST and lets the operator scan again', () => {
    const refused = run(
      { type: 'submit', imei: IMEI },
      { type: 'rejected', message: 'Slot 1 is busy (SLOT_BUSY)' },
    );
    expect(refused).toEqual({
      kind: 'rejected',
      imei: IMEI,
      message: 'Slot 1 is busy (SLOT_BUSY)',
    });
    expect(acceptsScan(refused)).toBe(true);
    expect(flashTileReducer(refused, { type: 'submit', imei: IMEI }).kind).toBe('submitting');
  });

  it('replaces a finished tile with the next scan, and refuses scans while busy', () => {
    const done = run({ type: 'submit', imei: IMEI }, accepted('a1'), result('a1', 'passed'));
    const bad = flashTileReducer(done, { type: 'scan-invalid', scanned: 'x', message: 'bad' });
    expect(bad).toEqual({ kind: 'invalid', scanned: 'x', message: 'bad' });

    const running = run({ type: 'submit', imei: IMEI }, accepted('a1'));
    expect(flashTileReducer(running, { type: 'submit', imei: imei('100002') })).toBe(running);
    expect(flashTileReducer(running, { type: 'scan-invalid', scanned: 'x', message: 'bad' })).toBe(
      running,
    );
  });

  it('ignores a POST answer that arrives when no submit is pending', () => {
    expect(flashTileReducer(idleTile, accepted('a1'))).toBe(idleTile);
    expect(flashTileReducer(idleTile, { type: 'rejected', message: 'x' })).toBe(idleTile);
  });
});
