// Firing and clearing over successive evaluations, hand-made candidates; pure.
import type { AlertKind } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import type { AlertCandidate } from './alert-rules';
import { advance, firingAlerts, type AlertBook } from './alert-transitions';

const hold = (ms: number): Record<AlertKind, number> => ({
  yield_below_target: 0,
  retest_rate_high: 0,
  slot_silent: 0,
  slot_suspect: 0,
  station_offline: ms,
  results_waiting: ms,
});
const alert = (kind: AlertKind, severity: 'warning' | 'critical' = 'warning'): AlertCandidate => ({
  id: `${kind}:jig-1`,
  kind,
  severity,
  stationId: 'jig-1',
  slot: null,
  message: `${kind} message`,
  action: `${kind} action`,
  evidence: {},
});
const T0 = Date.parse('2026-11-27T12:00:00Z');

describe('alert transitions', () => {
  it('fires at once when its kind has no hold, and clears when the condition goes', () => {
    const first = advance(new Map(), [alert('slot_suspect')], T0, hold(0));
    expect(first.fired).toEqual(['slot_suspect:jig-1']);
    expect(firingAlerts(first.book)).toEqual([
      { ...alert('slot_suspect'), since: new Date(T0).toISOString() },
    ]);
    const again = advance(first.book, [alert('slot_suspect')], T0 + 1000, hold(0));
    expect(again.fired).toEqual([]);
    expect(firingAlerts(again.book)[0]!.since).toBe(new Date(T0).toISOString());
    const gone = advance(again.book, [], T0 + 2000, hold(0));
    expect(gone.cleared).toEqual(['slot_suspect:jig-1']);
    expect(firingAlerts(gone.book)).toEqual([]);
  });

  it('waits out the hold, and a condition that goes before it fires clears nothing', () => {
    let book: AlertBook = new Map();
    const offline = [alert('station_offline', 'critical')];
    const step1 = advance(book, offline, T0, hold(60_000));
    expect(step1.fired).toEqual([]);
    expect(firingAlerts(step1.book)).toEqual([]);
    const blip = advance(step1.book, [], T0 + 10_000, hold(60_000));
    expect(blip.cleared).toEqual([]);
    book = blip.book;
    // Back again: the hold starts over from the new sighting.
    book = advance(book, offline, T0 + 20_000, hold(60_000)).book;
    expect(advance(book, offline, T0 + 70_000, hold(60_000)).fired).toEqual([]);
    const fired = advance(book, offline, T0 + 80_000, hold(60_000));
    expect(fired.fired).toEqual(['station_offline:jig-1']);
    expect(firingAlerts(fired.book)[0]!.since).toBe(new Date(T0 + 80_000).toISOString());
  });

  it('lists critical alerts first, then the oldest', () => {
    let book = advance(new Map(), [alert('slot_suspect')], T0, hold(0)).book;
    book = advance(book, [alert('slot_suspect'), alert('retest_rate_high')], T0 + 1, hold(0)).book;
    book = advance(
      book,
      [alert('slot_suspect'), alert('retest_rate_high'), alert('yield_below_target', 'critical')],
      T0 + 2,
      hold(0),
    ).book;
    expect(firingAlerts(book).map((a) => a.kind)).toEqual([
      'yield_below_target',
      'slot_suspect',
      'retest_rate_high',
    ]);
  });
});
