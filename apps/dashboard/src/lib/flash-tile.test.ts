// Unit test of a slot tile's state: the slot's line state from the server and this screen's own
// scan; nothing is mocked.
import {
  imeiCheckDigit,
  type FlashProgressEvent,
  type FlashResultEvent,
  type FlashStage,
  type SlotCurrentAttempt,
} from '@station/contracts';
import { describe, expect, it } from 'vitest';
import {
  acceptsScan,
  flashTileReducer,
  idleTile,
  tileView,
  type FlashTile,
  type FlashTileAction,
} from './flash-tile';

const imei = (serial: string) => `86135903${serial}${imeiCheckDigit(`86135903${serial}`)}`;
const IMEI = imei('100001');

const progress = (attemptId: string, stage: FlashStage, percent: number): FlashTileAction => {
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

const resultEvent = (
  attemptId: string,
  outcome: FlashResultEvent['outcome'],
  endedAt = '2030-01-01T00:01:00.000Z',
): FlashResultEvent => {
  const passed = outcome === 'passed';
  return {
    v: 1,
    attemptId,
    stationId: 'line-1',
    slot: 1,
    imei: IMEI,
    outcome,
    errorCode: passed ? null : 2004,
    errorName: passed ? null : 'S_BROM_DOWNLOAD_DA_FAIL',
    stage: passed ? 'postflight' : 'da_upload',
    reportedImei: IMEI,
    operatorHint: passed ? null : 'Move the module to another slot',
    revisionBefore: 'MC60CAR01A12',
    revisionAfter: passed ? 'MC60CAR01A13' : null,
    durationMs: 1234,
    endedAt,
  };
};

const result = (
  attemptId: string,
  outcome: FlashResultEvent['outcome'],
  endedAt?: string,
): FlashTileAction => ({ type: 'result', event: resultEvent(attemptId, outcome, endedAt) });

const accepted = (attemptId: string): FlashTileAction => ({
  type: 'accepted',
  response: { attemptId, stationId: 'line-1', slot: 1, imei: IMEI, packageId: 'demo' },
});

const running = (
  attemptId: string,
  stage: FlashStage,
  percent: number | null,
  startedAt = '2030-01-01T00:02:00.000Z',
): SlotCurrentAttempt => ({ attemptId, imei: IMEI, stage, percent, startedAt });

const line = (
  current: SlotCurrentAttempt | null,
  last: FlashResultEvent | null = null,
): FlashTileAction => ({ type: 'line', line: { slot: 1, current, last } });

const run = (...actions: FlashTileAction[]): FlashTile =>
  actions.reduce(flashTileReducer, idleTile);

describe('this screen scans and flashes', () => {
  it('goes idle → submitting → running(stage, percent) → passed', () => {
    expect(tileView(idleTile)).toEqual({ kind: 'idle' });
    const submitting = run({ type: 'submit', imei: IMEI });
    expect(tileView(submitting)).toEqual({ kind: 'submitting', imei: IMEI });
    expect(acceptsScan(submitting)).toBe(false);

    const waiting = flashTileReducer(submitting, accepted('a1'));
    expect(tileView(waiting)).toEqual({
      kind: 'running',
      attempt: { attemptId: 'a1', imei: IMEI, stage: 'queued', percent: null, startedAt: null },
    });

    const writing = flashTileReducer(waiting, progress('a1', 'write', 42.5));
    expect(tileView(writing)).toMatchObject({
      kind: 'running',
      attempt: { stage: 'write', percent: 42.5 },
    });
    expect(acceptsScan(writing)).toBe(false);

    const done = flashTileReducer(writing, result('a1', 'passed'));
    const view = tileView(done);
    expect(view.kind).toBe('finished');
    expect(view.kind === 'finished' && view.result.revisionAfter).toBe('MC60CAR01A13');
    expect(acceptsScan(done)).toBe(true);
  });

  it('never passes on progress alone, even at 100 %', () => {
    const tile = run(
      { type: 'submit', imei: IMEI },
      accepted('a1'),
      progress('a1', 'postflight', 100),
    );
    expect(tileView(tile)).toMatchObject({
      kind: 'running',
      attempt: { stage: 'postflight', percent: 100 },
    });
  });

  it('shows a failure with its error and hint', () => {
    const view = tileView(
      run({ type: 'submit', imei: IMEI }, accepted('a1'), result('a1', 'failed')),
    );
    expect(view.kind === 'finished' && view.result).toMatchObject({
      outcome: 'failed',
      errorName: 'S_BROM_DOWNLOAD_DA_FAIL',
      operatorHint: 'Move the module to another slot',
    });
  });

  it('keeps showing "starting" while the POST is out, even when its events arrive first', () => {
    const early = run({ type: 'submit', imei: IMEI }, progress('a1', 'brom', 3));
    expect(tileView(early)).toEqual({ kind: 'submitting', imei: IMEI });
    const answered = flashTileReducer(early, accepted('a1'));
    expect(tileView(answered)).toMatchObject({
      kind: 'running',
      attempt: { attemptId: 'a1', stage: 'brom', percent: 3 },
    });
  });

  it('shows a fast failure that beat the POST answer, not a flash that already ended', () => {
    const tile = run({ type: 'submit', imei: IMEI }, result('a1', 'failed'), accepted('a1'));
    const view = tileView(tile);
    expect(view.kind === 'finished' && view.result.attemptId).toBe('a1');
    expect(acceptsScan(tile)).toBe(true);
  });

  it('shows a refused POST and lets the operator scan again', () => {
    const refused = run(
      { type: 'submit', imei: IMEI },
      { type: 'rejected', message: 'Slot 1 is busy (SLOT_BUSY)' },
    );
    expect(tileView(refused)).toEqual({
      kind: 'rejected',
      imei: IMEI,
      message: 'Slot 1 is busy (SLOT_BUSY)',
    });
    expect(acceptsScan(refused)).toBe(true);
    expect(tileView(flashTileReducer(refused, { type: 'submit', imei: IMEI })).kind).toBe(
      'submitting',
    );
  });

  it("keeps the server's code and the label as scanned: ALREADY_PASSED can be reworked", () => {
    const label = `IMEI:${IMEI};SN:X1`;
    const refused = run(
      { type: 'submit', imei: IMEI, label },
      { type: 'rejected', message: 'already passed (ALREADY_PASSED)', code: 'ALREADY_PASSED' },
    );
    expect(tileView(refused)).toEqual({
      kind: 'rejected',
      imei: IMEI,
      label,
      code: 'ALREADY_PASSED',
      message: 'already passed (ALREADY_PASSED)',
    });
    expect(acceptsScan(refused)).toBe(true);
  });

  it('shows a label the server could not read as a bad label, quoting what was scanned', () => {
    const tile = run(
      { type: 'submit', imei: 'SN-4711-X', label: 'SN-4711-X' },
      { type: 'rejected', message: 'Label "SN-4711-X" not readable: …', code: 'LABEL_UNREADABLE' },
    );
    expect(tileView(tile)).toEqual({
      kind: 'invalid',
      scanned: 'SN-4711-X',
      message: 'Label "SN-4711-X" not readable: …',
    });
    expect(acceptsScan(tile)).toBe(true);
  });

  it('replaces a finished tile with the next scan, and refuses scans while busy', () => {
    const done = run({ type: 'submit', imei: IMEI }, accepted('a1'), result('a1', 'passed'));
    const bad = flashTileReducer(done, { type: 'scan-invalid', scanned: 'x', message: 'bad' });
    expect(tileView(bad)).toEqual({ kind: 'invalid', scanned: 'x', message: 'bad' });

    const busy = run({ type: 'submit', imei: IMEI }, accepted('a1'));
    expect(flashTileReducer(busy, { type: 'submit', imei: imei('100002') })).toBe(busy);
    expect(flashTileReducer(busy, { type: 'scan-invalid', scanned: 'x', message: 'bad' })).toBe(
      busy,
    );
  });

  it('ignores a POST answer that arrives when no submit is pending', () => {
    expect(flashTileReducer(idleTile, accepted('a1'))).toBe(idleTile);
    expect(flashTileReducer(idleTile, { type: 'rejected', message: 'x' })).toBe(idleTile);
  });
});

describe('flashes this screen did not start', () => {
  it('shows a flash started elsewhere from its first progress, then its result', () => {
    const tile = run(progress('api-1', 'da_upload', 12));
    expect(tileView(tile)).toEqual({
      kind: 'running',
      attempt: { attemptId: 'api-1', imei: IMEI, stage: 'da_upload', percent: 12, startedAt: null },
    });
    expect(acceptsScan(tile)).toBe(false);
    const done = flashTileReducer(tile, result('api-1', 'passed'));
    expect(tileView(done)).toMatchObject({ kind: 'finished', result: { attemptId: 'api-1' } });
  });

  it('shows a result whose progress it never saw', () => {
    const view = tileView(run(result('api-1', 'failed')));
    expect(view).toMatchObject({ kind: 'finished', result: { outcome: 'failed' } });
  });

  it('follows the next attempt after a result', () => {
    const tile = run(
      progress('a1', 'write', 90),
      result('a1', 'passed'),
      progress('a2', 'brom', 1),
    );
    expect(tileView(tile)).toMatchObject({ kind: 'running', attempt: { attemptId: 'a2' } });
  });

  it("lets a new flash on the slot replace the operator's bad scan or refusal", () => {
    const bad = run({ type: 'scan-invalid', scanned: 'x', message: 'bad' });
    expect(tileView(flashTileReducer(bad, progress('api-1', 'brom', 2))).kind).toBe('running');
    const refused = run({ type: 'submit', imei: IMEI }, { type: 'rejected', message: 'busy' });
    const after = run(
      { type: 'submit', imei: IMEI },
      { type: 'rejected', message: 'busy' },
      progress('api-1', 'brom', 2),
      result('api-1', 'passed'),
    );
    expect(tileView(refused).kind).toBe('rejected');
    // The refusal is not shown again once the flash that caused it has ended.
    expect(tileView(after)).toMatchObject({ kind: 'finished', result: { attemptId: 'api-1' } });
  });

  it('does not bring back a refusal when the flash it collided with ends', () => {
    const tile = run(
      progress('api-1', 'brom', 2),
      { type: 'submit', imei: IMEI },
      { type: 'rejected', message: 'busy' },
      result('api-1', 'passed'),
    );
    expect(tileView(tile)).toMatchObject({ kind: 'finished', result: { attemptId: 'api-1' } });
  });
});

describe('stale and repeated events', () => {
  it('ignores progress that arrives after its result', () => {
    const done = run(progress('a1', 'write', 50), result('a1', 'failed'));
    expect(flashTileReducer(done, progress('a1', 'write', 99))).toBe(done);
  });

  it('ignores a result delivered twice', () => {
    const done = run(progress('a1', 'write', 50), result('a1', 'failed'));
    expect(flashTileReducer(done, result('a1', 'passed'))).toBe(done);
  });

  it('keeps the running attempt when a late result of an older one arrives', () => {
    const tile = run(
      line(running('a2', 'write', 30, '2030-01-01T00:02:00.000Z')),
      result('a1', 'passed', '2030-01-01T00:01:00.000Z'),
    );
    expect(tileView(tile)).toMatchObject({ kind: 'running', attempt: { attemptId: 'a2' } });
    // It still becomes the slot's last result, shown once a2 ends.
    expect(tile.last?.attemptId).toBe('a1');
  });

  it('keeps the newer last result when an older one arrives late', () => {
    const tile = run(
      result('a2', 'failed', '2030-01-01T00:03:00.000Z'),
      result('a1', 'passed', '2030-01-01T00:01:00.000Z'),
    );
    expect(tile.last?.attemptId).toBe('a2');
    // …and the older attempt's late progress does not bring it back to life.
    expect(flashTileReducer(tile, progress('a1', 'write', 80))).toBe(tile);
  });

  it('ignores unchanged progress without making a new state', () => {
    const tile = run(progress('a1', 'write', 50));
    expect(flashTileReducer(tile, progress('a1', 'write', 50))).toBe(tile);
  });
});

describe("the server's line state (watch reply)", () => {
  it('shows the attempt running in the slot, with its stage and percent', () => {
    const tile = run(line(running('a1', 'verify', 70)));
    expect(tileView(tile)).toEqual({ kind: 'running', attempt: running('a1', 'verify', 70) });
  });

  it('shows the last result when nothing runs', () => {
    const tile = run(line(null, resultEvent('a1', 'failed')));
    expect(tileView(tile)).toMatchObject({ kind: 'finished', result: { attemptId: 'a1' } });
  });

  it('replaces an attempt this screen believed running when the server says none runs', () => {
    // Disconnected while a1 ended: the reply says so even though the result was never heard.
    const tile = run(progress('a1', 'write', 50), line(null, resultEvent('a1', 'passed')));
    expect(tileView(tile)).toMatchObject({ kind: 'finished', result: { attemptId: 'a1' } });
    expect(flashTileReducer(tile, progress('a1', 'write', 60))).toBe(tile);
  });

  it('never shows running again an attempt already seen ending', () => {
    // The result arrived just before the reply, which was read while the attempt still ran.
    const tile = run(result('a1', 'passed'), line(running('a1', 'postflight', 90)));
    expect(tileView(tile)).toMatchObject({ kind: 'finished', result: { attemptId: 'a1' } });
  });

  it('keeps a newer result this screen already has over an older one in the reply', () => {
    const tile = run(
      result('a2', 'passed', '2030-01-01T00:05:00.000Z'),
      line(null, resultEvent('a1', 'failed', '2030-01-01T00:01:00.000Z')),
    );
    expect(tile.last?.attemptId).toBe('a2');
  });

  it("keeps the operator's own scan unless a new attempt runs", () => {
    const bad = run({ type: 'scan-invalid', scanned: 'x', message: 'bad' });
    expect(tileView(flashTileReducer(bad, line(null))).kind).toBe('invalid');
    expect(tileView(flashTileReducer(bad, line(running('a9', 'brom', 1)))).kind).toBe('running');
  });
});
