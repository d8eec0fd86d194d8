// Unit test of how the line view merges live updates with polled lists; nothing is mocked.
import type { StationStatus } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { applyStationSnapshot, applyStationUpdate, slotState } from './station-list';

const station = (stationId: string, lastSeenAt: string, connected = true): StationStatus => ({
  stationId,
  hostname: `${stationId}.local`,
  version: '0.1.0',
  connected,
  lastSeenAt,
  slots: [{ slot: 1, port: '/dev/ttyUSB0', adapter: 'FT232R-A1', power: 'dtr' }],
});

describe('applyStationUpdate', () => {
  it('adds a new station in id order', () => {
    const list = [station('b', '2030-01-01T00:00:00.000Z')];
    const next = applyStationUpdate(list, station('a', '2030-01-01T00:00:01.000Z'));
    expect(next.map((s) => s.stationId)).toEqual(['a', 'b']);
  });

  it('replaces the station it names', () => {
    const list = [station('a', '2030-01-01T00:00:00.000Z')];
    const gone = station('a', '2030-01-01T00:00:00.000Z', false);
    expect(applyStationUpdate(list, gone)).toEqual([gone]);
  });
});

describe('applyStationSnapshot', () => {
  it('keeps a station heard after the snapshot was taken', () => {
    const live = station('a', '2030-01-01T00:00:05.000Z', false);
    const stale = station('a', '2030-01-01T00:00:01.000Z', true);
    expect(applyStationSnapshot([live], [stale])).toEqual([live]);
  });

  it('takes the snapshot entry when it is as new or newer', () => {
    const old = station('a', '2030-01-01T00:00:01.000Z');
    const fresh = station('a', '2030-01-01T00:00:01.000Z', false);
    expect(applyStationSnapshot([old], [fresh])).toEqual([fresh]);
  });

  it('keeps a station the snapshot does not know yet, and adds new ones in id order', () => {
    const justRegistered = station('m', '2030-01-01T00:00:09.000Z');
    const listed = station('z', '2030-01-01T00:00:00.000Z');
    const next = applyStationSnapshot(
      [justRegistered],
      [listed, station('a', '2030-01-01T00:00:00.000Z')],
    );
    expect(next.map((s) => s.stationId)).toEqual(['a', 'm', 'z']);
    expect(next[1]).toBe(justRegistered);
  });
});

describe('slotState', () => {
  it('is online on a connected station and gone with its station', () => {
    const up = station('a', '2030-01-01T00:00:00.000Z', true);
    const down = station('a', '2030-01-01T00:00:00.000Z', false);
    expect(slotState(up, up.slots[0]!)).toBe('online');
    expect(slotState(down, down.slots[0]!)).toBe('station-gone');
  });

  it('is port-missing when the station reports the slot offline, whatever else it says', () => {
    const up = station('a', '2030-01-01T00:00:00.000Z', true);
    expect(slotState(up, { ...up.slots[0]!, online: false })).toBe('port-missing');
    expect(slotState(up, { ...up.slots[0]!, online: true })).toBe('online');
    const down = station('a', '2030-01-01T00:00:00.000Z', false);
    expect(slotState(down, { ...down.slots[0]!, online: false })).toBe('station-gone');
  });
});
