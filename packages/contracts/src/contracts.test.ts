// Pure schema tests: no I/O, nothing mocked.
import { describe, expect, it } from 'vitest';
import {
  CreateFlashJobRequest,
  FlashRunPayload,
  FlashRunProgress,
  Imei,
  StationRegistration,
  StationStatus,
  StationUpdateEvent,
  flashQueueName,
  imeiCheckDigit,
} from './index';

const registration = {
  v: 1,
  stationId: 'line1-station-01',
  bootId: 'b0',
  hostname: 'jig-pc',
  version: '0.1.0',
  startedAt: '2025-01-01T00:00:00.000Z',
  slots: [
    { slot: 1, port: '/run/jig/slot-01', adapter: 'emulator:slot-01', power: 'emulator' },
    { slot: 2, port: '/run/jig/slot-02', adapter: null, power: 'manual' },
  ],
};

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe('StationRegistration', () => {
  it('accepts a well-formed registration', () => {
    expect(StationRegistration.parse(registration).slots).toHaveLength(2);
  });

  it('rejects a duplicated slot number and a shared port, naming each', () => {
    const slot = { slot: 1, port: '/run/jig/slot-01', adapter: null, power: 'manual' };
    const result = StationRegistration.safeParse({ ...registration, slots: [slot, slot] });
    expect(messages(result)).toEqual([
      'slot 1 is listed twice',
      'port /run/jig/slot-01 is used by two slots',
    ]);
  });

  it('rejects a station id that would break a queue name', () => {
    const result = StationRegistration.safeParse({ ...registration, stationId: 'line:1' });
    expect(messages(result)[0]).toMatch(/letters, digits/);
    expect(() => flashQueueName('line:1')).toThrow();
    expect(flashQueueName('line-1')).toBe('flash-line-1');
  });

  it('rejects an unknown power mode', () => {
    const slots = [{ slot: 1, port: '/dev/ttyUSB0', adapter: null, power: 'gpio' }];
    expect(StationRegistration.safeParse({ ...registration, slots }).success).toBe(false);
  });
});

describe('Imei', () => {
  it('computes the Luhn check digit', () => {
    expect(imeiCheckDigit('49015420323751')).toBe(8);
  });

  it('accepts a valid IMEI and rejects a wrong check digit or length with a clear message', () => {
    expect(Imei.parse('490154203237518')).toBe('490154203237518');
    expect(messages(Imei.safeParse('490154203237519'))[0]).toMatch(/check digit/);
    expect(messages(Imei.safeParse('49015420323751'))[0]).toMatch(/exactly 15 digits/);
  });
});

describe('CreateFlashJobRequest', () => {
  const at = { stationId: 'line-1', slot: 1 };
  it('takes the label as scanned or a bare IMEI, and a rework flag', () => {
    expect(CreateFlashJobRequest.parse({ ...at, label: 'IMEI:490154203237518;SN:X' })).toEqual({
      ...at,
      label: 'IMEI:490154203237518;SN:X',
    });
    expect(CreateFlashJobRequest.parse({ ...at, imei: '490154203237518', rework: true })).toEqual({
      ...at,
      imei: '490154203237518',
      rework: true,
    });
  });

  it('wants exactly one of them, and a label of at most 512 characters', () => {
    const one = 'send exactly one of label (as scanned) and imei';
    expect(messages(CreateFlashJobRequest.safeParse(at))).toEqual([one]);
    expect(
      messages(CreateFlashJobRequest.safeParse({ ...at, label: 'x', imei: '490154203237518' })),
    ).toEqual([one]);
    expect(CreateFlashJobRequest.safeParse({ ...at, label: 'x'.repeat(513) }).success).toBe(false);
  });
});

describe('events and jobs', () => {
  it('versions station updates', () => {
    const station = {
      stationId: 's1',
      hostname: 'h',
      version: '0.1.0',
      connected: true,
      lastSeenAt: '2025-01-01T00:00:00.000Z',
      slots: registration.slots,
    };
    expect(StationStatus.parse(station).connected).toBe(true);
    expect(StationUpdateEvent.safeParse({ v: 2, station }).success).toBe(false);
  });

  it('validates a flash.run payload', () => {
    const payload = {
      v: 1,
      attemptId: 'a1',
      stationId: 's1',
      slot: 3,
      imei: '490154203237518',
      packageId: 'p1',
      packageSha256: 'a'.repeat(64),
      baud: 921600,
      retryOf: null,
    };
    expect(FlashRunPayload.parse(payload).baud).toBe(921600);
    expect(FlashRunPayload.safeParse({ ...payload, baud: 9600 }).success).toBe(false);
  });

  it('validates flash.run progress', () => {
    const progress = { v: 1, stage: 'write', percent: 42.5, bytes: 4096, totalBytes: 9640 };
    expect(FlashRunProgress.parse(progress)).toEqual(progress);
    expect(FlashRunProgress.safeParse({ ...progress, percent: 101 }).success).toBe(false);
    expect(FlashRunProgress.safeParse({ ...progress, bytes: -1 }).success).toBe(false);
    expect(FlashRunProgress.safeParse({ ...progress, stage: '' }).success).toBe(false);
  });
});
