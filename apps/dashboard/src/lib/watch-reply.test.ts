// Unit test of how a station:watch answer is read; nothing is mocked.
import type { StationDetail } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { readWatchReply } from './watch-reply';

const detail: StationDetail = {
  stationId: 'line-1',
  hostname: 'jig-pc',
  version: '0.1.0',
  connected: true,
  lastSeenAt: '2030-01-01T00:00:00.000Z',
  slots: [{ slot: 1, port: '/dev/ttyUSB0', adapter: null, power: 'manual', online: true }],
  line: [
    {
      slot: 1,
      current: {
        attemptId: 'a1',
        imei: '861359031000019',
        stage: 'write',
        percent: 12.5,
        startedAt: '2030-01-01T00:00:10.000Z',
      },
      last: null,
    },
  ],
};

describe('readWatchReply', () => {
  it('gives the station line state of a good reply', () => {
    expect(readWatchReply('line-1', null, { v: 1, ok: true, station: detail }, 5_000)).toEqual({
      ok: true,
      station: detail,
    });
  });

  it('says what went wrong, and that the screen may miss flashes', () => {
    const noAnswer = readWatchReply(
      'line-1',
      new Error('operation has timed out'),
      undefined,
      5_000,
    );
    expect(noAnswer).toEqual({
      ok: false,
      message:
        'Cannot follow station line-1: no answer from the server within 5 s. Its flashes may not show on this screen; retrying every 5 s.',
    });
    const refused = readWatchReply(
      'line-1',
      null,
      { v: 1, ok: false, error: 'unknown station' },
      5_000,
    );
    expect(refused.ok === false && refused.message).toContain(
      'the server refused (unknown station)',
    );
  });

  it('refuses a reply it does not understand, naming the field', () => {
    const broken = { v: 1, ok: true, station: { ...detail, line: [{ slot: 1, current: null }] } };
    const outcome = readWatchReply('line-1', null, broken, 5_000);
    expect(outcome.ok === false && outcome.message).toContain('station.line.0.last');
  });

  it('refuses line state of another station', () => {
    const outcome = readWatchReply('line-2', null, { v: 1, ok: true, station: detail }, 5_000);
    expect(outcome.ok === false && outcome.message).toContain('answered for station line-1');
  });
});
