// Unit test of a module's history as a timeline: retry chains grouped, decisions in time order;
// nothing is mocked.
import type { DecisionRecord, ModuleHistoryAttempt } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { moduleTimeline } from './module-timeline';

const attempt = (
  id: string,
  minute: number,
  outcome: ModuleHistoryAttempt['outcome'],
  retryOfId: string | null = null,
): ModuleHistoryAttempt => ({
  id,
  startedAt: `2026-11-27T10:${String(minute).padStart(2, '0')}:00.000Z`,
  endedAt: null,
  outcome,
  stationId: 'jig-1',
  slot: 1,
  packageId: 'demo',
  packageRevision: 'MC60CAR01A13',
  stageReached: 'da_upload',
  errorCode: outcome === 'failed' ? 2004 : null,
  errorName: null,
  errorMessage: null,
  stageTimings: null,
  baud: 921600,
  bytesWritten: null,
  revisionBefore: null,
  revisionAfter: null,
  reportedImei: null,
  retryOfId,
});

const quarantine = (id: string, minute: number): DecisionRecord => ({
  id,
  kind: 'module.quarantined',
  subject: '861359031000019',
  reason: 'failed on two healthy slots',
  evidence: ['a1', 'b1'],
  decidedAt: `2026-11-27T10:${String(minute).padStart(2, '0')}:00.000Z`,
  releasedAt: null,
  releasedBy: null,
  releaseReason: null,
});

describe('moduleTimeline', () => {
  it('groups each retry chain, oldest first, with what the chain came to', () => {
    // The API lists newest first.
    const history = [
      attempt('c1', 30, 'passed'),
      attempt('a3', 12, 'passed', 'a2'),
      attempt('a2', 11, 'failed', 'a1'),
      attempt('a1', 10, 'failed'),
    ];
    const timeline = moduleTimeline(history, []);
    expect(
      timeline.map((e) => e.kind === 'chain' && [e.id, e.outcome, e.attempts.map((a) => a.id)]),
    ).toEqual([
      ['a1', 'passed', ['a1', 'a2', 'a3']],
      ['c1', 'passed', ['c1']],
    ]);
  });

  it('puts decisions between the chains at the time they were made', () => {
    const timeline = moduleTimeline(
      [attempt('b1', 20, 'failed'), attempt('a1', 10, 'failed')],
      [quarantine('q1', 20), quarantine('q0', 15)],
    );
    expect(timeline.map((e) => `${e.kind}:${e.id}`)).toEqual([
      'chain:a1',
      'decision:q0',
      'chain:b1',
      'decision:q1',
    ]);
  });

  it('starts a group for a retry whose first try is not in the history', () => {
    const timeline = moduleTimeline([attempt('r2', 5, 'failed', 'gone')], []);
    expect(timeline).toEqual([
      expect.objectContaining({ kind: 'chain', id: 'r2', outcome: 'failed' }),
    ]);
  });
});
