// Unit test of a slot tile's state: the slot's line state from the server and this screen's own
// scan; nothing is mocked.
import {
  imeiCheckDigit,
  type FlashProgressEvent,
  type FlashResultEvent,
  type FlashStage,
  type SlotCurrentAttempt,
  type SlotLine,
  type SlotStatusEvent,
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

describe("the line's judgement (issue #9)", () => {
  const UNTIL = '2030-01-01T00:02:30.000Z';
  const prompted = (attemptId: string, round = 1): FlashTileAction => {
    const event: FlashProgressEvent = {
      v: 1,
      attemptId,
      stationId: 'line-1',
      slot: 1,
      imei: IMEI,
      stage: 'brom',
      percent: 0,
      prompt: { kind: 'power-cycle', until: UNTIL, round },
    };
    return { type: 'progress', event };
  };
  const retried = (
    attemptId: string,
    retry: FlashResultEvent['retry'],
    decisions?: FlashResultEvent['decisions'],
  ): FlashTileAction => ({
    type: 'result',
    event: { ...resultEvent(attemptId, 'failed'), retry, ...(decisions ? { decisions } : {}) },
  });

  it('shows the power prompt while progress carries it, and drops it when progress does not', () => {
    const asked = run(prompted('a1'));
    expect(tileView(asked)).toMatchObject({
      kind: 'running',
      attempt: { prompt: { kind: 'power-cycle', until: UNTIL, round: 1 } },
    });
    const again = flashTileReducer(asked, prompted('a1', 2));
    expect(again.current?.prompt?.round).toBe(2);
    const connected = flashTileReducer(again, progress('a1', 'da_upload', 5));
    expect(connected.current?.prompt).toBeUndefined();
    expect(connected.current?.stage).toBe('da_upload');
  });

  it('keeps a shown prompt over a line state of the same step (the line state carries none)', () => {
    const asked = run(prompted('a1'));
    const reply = flashTileReducer(asked, line(running('a1', 'brom', 0)));
    expect(reply.current?.prompt?.until).toBe(UNTIL);
    const moved = flashTileReducer(asked, line(running('a1', 'write', 10)));
    expect(moved.current?.prompt).toBeUndefined();
  });

  it('follows the retry instead of showing FAIL: a baud retry, then its progress and result', () => {
    const failed = run(
      progress('a1', 'write', 40),
      retried('a1', { attemptId: 'a2', baud: 460800, reason: 'baud' }),
    );
    expect(tileView(failed)).toMatchObject({
      kind: 'running',
      attempt: {
        attemptId: 'a2',
        stage: 'queued',
        retry: { reason: 'baud', baud: 460800, failedErrorName: 'S_BROM_DOWNLOAD_DA_FAIL' },
      },
    });
    expect(acceptsScan(failed)).toBe(false);
    expect(failed.heard).toEqual({ attemptId: 'a1', outcome: 'failed', retrying: true });

    const writing = flashTileReducer(failed, progress('a2', 'write', 12));
    expect(writing.current).toMatchObject({
      attemptId: 'a2',
      stage: 'write',
      retry: { baud: 460800 },
    });
    const done = flashTileReducer(writing, result('a2', 'passed'));
    expect(tileView(done)).toMatchObject({ kind: 'finished', result: { attemptId: 'a2' } });
    expect(done.heard).toEqual({ attemptId: 'a2', outcome: 'passed', retrying: false });
  });

  it("marks the retry when its progress came before the failed attempt's result", () => {
    const tile = run(
      progress('a2', 'brom', 1),
      retried('a1', { attemptId: 'a2', baud: 921600, reason: 'power' }),
    );
    expect(tile.current).toMatchObject({
      attemptId: 'a2',
      stage: 'brom',
      retry: { reason: 'power' },
    });
  });

  it('does not wait for a retry that already ended', () => {
    const tile = run(
      result('a2', 'passed', '2030-01-01T00:03:00.000Z'),
      retried('a1', { attemptId: 'a2', baud: 460800, reason: 'baud' }),
    );
    expect(tile.current).toBeNull();
    expect(tile.last?.attemptId).toBe('a2');
  });

  it('marks the running retry from the line state', () => {
    const failed: FlashResultEvent = {
      ...resultEvent('a1', 'failed'),
      retry: { attemptId: 'a2', baud: 115200, reason: 'baud' },
    };
    const tile = run(line(running('a2', 'write', 50), failed));
    expect(tile.current).toMatchObject({
      attemptId: 'a2',
      retry: { baud: 115200, reason: 'baud' },
    });
  });

  it('keeps the decisions of a result and takes a slot judged suspect out of rotation', () => {
    const tile = run(
      retried('a1', null, [
        {
          kind: 'module.quarantined',
          subject: IMEI,
          reason: 'Failed on two healthy slots',
          evidence: ['a0', 'a1'],
        },
        {
          kind: 'slot.suspect',
          subject: 'line-1/1',
          reason: 'Slot 1 fails while its neighbours pass',
          evidence: ['a1'],
        },
      ]),
    );
    expect(tileView(tile)).toEqual({
      kind: 'held',
      hold: { state: 'suspect', reason: 'Slot 1 fails while its neighbours pass' },
    });
    expect(tile.last?.decisions?.map((d) => d.kind)).toEqual([
      'module.quarantined',
      'slot.suspect',
    ]);
    expect(acceptsScan(tile)).toBe(false);
    expect(flashTileReducer(tile, { type: 'submit', imei: IMEI })).toBe(tile);
  });

  it("ignores a decision about another slot's suspicion", () => {
    const tile = run(
      retried('a1', null, [
        { kind: 'slot.suspect', subject: 'line-1/2', reason: 'Slot 2 fails', evidence: ['x'] },
      ]),
    );
    expect(tile.hold).toBeNull();
    expect(acceptsScan(tile)).toBe(true);
  });

  it("takes the slot's status from the line state: held with the reason, then released", () => {
    const statusLine = (
      status: SlotLine['status'],
      statusReason: string | null,
    ): FlashTileAction => ({
      type: 'line',
      line: { slot: 1, status, statusReason, current: null, last: null },
    });
    const disabled = run(statusLine('disabled', 'Taken out by a supervisor for cleaning'));
    expect(tileView(disabled)).toEqual({
      kind: 'held',
      hold: { state: 'disabled', reason: 'Taken out by a supervisor for cleaning' },
    });
    expect(acceptsScan(disabled)).toBe(false);
    const offline = run(statusLine('offline', null));
    expect(tileView(offline)).toEqual({ kind: 'held', hold: { state: 'offline', reason: null } });
    const released = flashTileReducer(disabled, statusLine('active', null));
    expect(tileView(released)).toEqual({ kind: 'idle' });
    expect(acceptsScan(released)).toBe(true);
  });

  it('takes a live slot:status at once: suspect with the reason, then released by a supervisor', () => {
    const status = (
      state: SlotStatusEvent['status'],
      statusReason: string | null,
    ): FlashTileAction => ({
      type: 'slot-status',
      event: { v: 1, stationId: 'line-1', slot: 1, status: state, statusReason },
    });
    const passed = run(line(null, resultEvent('a1', 'passed')));
    const suspect = flashTileReducer(
      passed,
      status('suspect', 'Slot 1 fails while its neighbours pass'),
    );
    expect(tileView(suspect)).toEqual({
      kind: 'held',
      hold: { state: 'suspect', reason: 'Slot 1 fails while its neighbours pass' },
    });
    expect(acceptsScan(suspect)).toBe(false);
    const released = flashTileReducer(suspect, status('active', null));
    expect(tileView(released)).toEqual({ kind: 'finished', result: passed.last });
    expect(acceptsScan(released)).toBe(true);
  });

  it('hears only live results, never the line state it opens with', () => {
    expect(run(line(null, resultEvent('a1', 'passed'))).heard).toBeNull();
    expect(run(result('a1', 'interrupted')).heard).toEqual({
      attemptId: 'a1',
      outcome: 'interrupted',
      retrying: false,
    });
  });
});
