// Unit test of how a tile presents its state: a word and a symbol for every state, none alike.
import type { FlashResultEvent } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import type { TileView } from './flash-tile';
import { retryText, secondsLeft, TILE_LOOKS, tileLook } from './tile-look';

const failed: FlashResultEvent = {
  v: 1,
  attemptId: 'a1',
  stationId: 'line-1',
  slot: 1,
  imei: '861359030000012',
  outcome: 'failed',
  errorCode: 9403,
  errorName: 'FS_IMEI_MISMATCH',
  stage: 'preflight',
  reportedImei: null,
  operatorHint: null,
  revisionBefore: null,
  revisionAfter: null,
  durationMs: 10,
  endedAt: '2030-01-01T00:00:00.000Z',
};
const attempt = {
  attemptId: 'a2',
  imei: failed.imei,
  stage: 'brom' as const,
  percent: 0,
  startedAt: null,
};

describe('tile look', () => {
  it('gives every state its own word and its own symbol', () => {
    const looks = Object.values(TILE_LOOKS);
    expect(new Set(looks.map((l) => l.word)).size).toBe(looks.length);
    expect(new Set(looks.map((l) => l.symbol)).size).toBe(looks.length);
    expect(looks.every((l) => l.word.length > 0 && [...l.symbol].length === 1)).toBe(true);
    expect(TILE_LOOKS.passed).toMatchObject({ word: 'PASS', symbol: '✓' });
    expect(TILE_LOOKS.failed).toMatchObject({ word: 'FAIL', symbol: '✕' });
    expect(TILE_LOOKS.retrying).toMatchObject({ word: 'RETRYING', symbol: '↻' });
    expect(TILE_LOOKS.prompt).toMatchObject({ word: 'POWER-CYCLE NOW', symbol: '⏻' });
    expect(TILE_LOOKS.suspect).toMatchObject({ word: 'SUSPECT', symbol: '⚠' });
  });

  it('maps views to states: prompt over retry over running, a retried failure is not FAIL', () => {
    const cases: [TileView, string][] = [
      [{ kind: 'idle' }, 'idle'],
      [{ kind: 'running', attempt }, 'running'],
      [
        {
          kind: 'running',
          attempt: { ...attempt, retry: { reason: 'baud', baud: 460800, failedErrorName: null } },
        },
        'retrying',
      ],
      [
        {
          kind: 'running',
          attempt: {
            ...attempt,
            retry: { reason: 'power', baud: 921600, failedErrorName: null },
            prompt: { kind: 'power-cycle', until: '2030-01-01T00:00:10.000Z', round: 2 },
          },
        },
        'prompt',
      ],
      [{ kind: 'finished', result: failed }, 'failed'],
      [{ kind: 'finished', result: { ...failed, outcome: 'passed' } }, 'passed'],
      [
        {
          kind: 'finished',
          result: { ...failed, retry: { attemptId: 'a2', baud: 460800, reason: 'baud' } },
        },
        'retrying',
      ],
      [{ kind: 'held', hold: { state: 'suspect', reason: 'x' } }, 'suspect'],
      [{ kind: 'held', hold: { state: 'disabled', reason: null } }, 'disabled'],
      [{ kind: 'held', hold: { state: 'offline', reason: null } }, 'offline'],
      [{ kind: 'invalid', scanned: 'x', message: 'm' }, 'invalid'],
      [{ kind: 'rejected', imei: failed.imei, message: 'm' }, 'rejected'],
      [{ kind: 'submitting', imei: failed.imei }, 'starting'],
    ];
    for (const [view, state] of cases) expect(tileLook('online', view).state).toBe(state);
  });

  it("shows OFFLINE whatever the tile knows when the station or the slot's port is gone", () => {
    expect(tileLook('station-gone', { kind: 'finished', result: failed }).state).toBe('offline');
    expect(tileLook('port-missing', { kind: 'idle' }).word).toBe('OFFLINE');
  });

  it("says what a retry does and counts the prompt's seconds down, never below zero", () => {
    expect(retryText({ reason: 'baud', baud: 460800 })).toBe('Retrying at 460800');
    expect(retryText({ reason: 'power', baud: 921600 })).toBe('Retrying: power-cycle when asked');
    const until = '2030-01-01T00:00:10.000Z';
    expect(secondsLeft(until, Date.parse('2030-01-01T00:00:00.000Z'))).toBe(10);
    expect(secondsLeft(until, Date.parse('2030-01-01T00:00:09.200Z'))).toBe(1);
    expect(secondsLeft(until, Date.parse('2030-01-01T00:00:12.000Z'))).toBe(0);
  });
});
