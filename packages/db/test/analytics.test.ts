// analyticsRepository's line clock against the real Postgres: hours, days and shifts follow
// LINE_TIME_ZONE, daylight saving included (Europe/Berlin goes from CET to CEST at 02:00 on
// 2026-03-29, so that day has 23 hours). The figures themselves are checked end to end in
// apps/server/test/analytics.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueImei } from '@station/testkit';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';
import { analyticsRepository, type ShiftSpec, type YieldGrouping } from '../src/index';
import { seedLine } from './fixtures';

const SHIFTS: ShiftSpec[] = [
  { label: '06:00-14:00', startMinute: 360, endMinute: 840 },
  { label: '14:00-22:00', startMinute: 840, endMinute: 1320 },
  { label: '22:00-06:00', startMinute: 1320, endMinute: 360 },
];
const WINDOW = { from: new Date('2026-03-28T00:00:00Z'), to: new Date('2026-03-31T00:00:00Z') };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  const { station, slots, firmware } = await seedLine(db.prisma, 1);
  const passAt = async (at: string) => {
    const module = await db.prisma.module.create({ data: { imei: uniqueImei() } });
    const startedAt = new Date(at);
    await db.prisma.flashAttempt.create({
      data: {
        moduleId: module.id,
        stationId: station.id,
        slotId: slots[0]!.id,
        packageId: firmware.id,
        startedAt,
        endedAt: new Date(startedAt.getTime() + 60_000),
        outcome: 'passed',
        stageReached: 'finish',
      },
    });
  };
  // 03:30 CEST on the 29th, an hour after the clocks went forward.
  await passAt('2026-03-29T01:30:00Z');
});
afterAll(async () => {
  await db?.drop();
});

const groups = (groupBy: YieldGrouping) =>
  analyticsRepository.yieldGroups(db.prisma, {
    ...WINDOW,
    groupBy,
    timeZone: 'Europe/Berlin',
    shifts: SHIFTS,
  });

describe('analyticsRepository.yieldGroups on the line clock', () => {
  it('keys an hour by local time and bounds it in real time', async () => {
    const [hour] = await groups('hour');
    expect(hour).toMatchObject({
      key: '2026-03-29T03:00',
      units: 1,
      periodStart: new Date('2026-03-29T01:00:00Z'),
      periodEnd: new Date('2026-03-29T02:00:00Z'),
    });
  });

  it('gives the day of the clock change its 23 hours', async () => {
    const [day] = await groups('day');
    // Local midnight CET (23:00Z on the 28th) to local midnight CEST (22:00Z on the 29th).
    expect(day).toMatchObject({
      key: '2026-03-29',
      periodStart: new Date('2026-03-28T23:00:00Z'),
      periodEnd: new Date('2026-03-29T22:00:00Z'),
    });
  });

  it('puts 03:30 in the night shift that began on the 28th, 7 real hours long', async () => {
    const [shift] = await groups('shift');
    // 22:00 CET on the 28th (21:00Z) to 06:00 CEST on the 29th (04:00Z).
    expect(shift).toMatchObject({
      key: '2026-03-28 22:00-06:00',
      units: 1,
      firstPassUnits: 1,
      periodStart: new Date('2026-03-28T21:00:00Z'),
      periodEnd: new Date('2026-03-29T04:00:00Z'),
    });
  });
});
