// The per-unit per-shift roll-up (issue #10 §6, docs/analytics.md "Roll-up") against the attempts
// it is derived from, on the real server runtime and Postgres: for every shift of a small history
// with retries, interruptions, a unit across the 14:00 boundary and an older attempt settled after
// a newer one, the roll-up path and the attempt path give the same figures for every grouping;
// the route reads the roll-up for a whole shift and only then; a changed shift definition
// rebuilds it; two attempts of one module written at once are both counted. Line clock: UTC,
// default shifts.
import { YieldResponse, type YieldRow } from '@station/contracts';
import {
  analyticsRepository,
  attemptRepository,
  unitShiftRepository,
  type ShiftSpec,
  type YieldGrouping,
} from '@station/db';
import { testImei } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShifts } from '../src/analytics/shifts';
import { seedAnalyticsLine } from './analytics-line';
import { startTestServer, type TestServer } from './helpers';

let server: TestServer;
let supervisor: string;

type Outcome = 'passed' | 'failed' | 'interrupted' | 'canceled';
interface Step {
  at: string;
  slot: 'j1/1' | 'j1/2' | 'j2/1';
  outcome: Outcome;
  byOperator?: true;
}

/** Each module's attempts in time order; each after the first retries the one before it. */
const HISTORY: Record<string, Step[]> = {
  // Fails at 13:50, passes on a retry at 14:05: a unit of the day shift and one of the evening.
  boundary: [
    { at: '2026-11-26T13:50:00Z', slot: 'j1/1', outcome: 'failed' },
    { at: '2026-11-26T14:05:00Z', slot: 'j1/2', outcome: 'passed', byOperator: true },
  ],
  // Interrupted, fails, passes on the other station: first attempt failed, finally passed.
  retried: [
    { at: '2026-11-26T08:00:00Z', slot: 'j2/1', outcome: 'interrupted' },
    { at: '2026-11-26T08:10:00Z', slot: 'j2/1', outcome: 'failed' },
    { at: '2026-11-26T08:20:00Z', slot: 'j1/1', outcome: 'passed' },
  ],
  firstPass: [{ at: '2026-11-26T09:00:00Z', slot: 'j1/2', outcome: 'passed', byOperator: true }],
  neverPassed: [
    { at: '2026-11-26T15:00:00Z', slot: 'j2/1', outcome: 'failed' },
    { at: '2026-11-26T15:30:00Z', slot: 'j2/1', outcome: 'failed' },
  ],
  canceledOnly: [{ at: '2026-11-26T16:00:00Z', slot: 'j1/1', outcome: 'canceled' }],
  // Night shift past midnight: belongs to the 26th's 22:00-06:00.
  night: [
    { at: '2026-11-26T23:40:00Z', slot: 'j2/1', outcome: 'failed' },
    { at: '2026-11-27T00:20:00Z', slot: 'j2/1', outcome: 'passed' },
  ],
};

/** Settled after the rest: its 10:00 failure arrives after its 10:30 pass was stored. */
const LATE = {
  module: 'lateReplay',
  first: '2026-11-26T10:00:00Z',
  second: '2026-11-26T10:30:00Z',
};

const SHIFTS_UTC = [
  ['2026-11-26T06:00:00Z', '2026-11-26T14:00:00Z'],
  ['2026-11-26T14:00:00Z', '2026-11-26T22:00:00Z'],
  ['2026-11-26T22:00:00Z', '2026-11-27T06:00:00Z'],
] as const;

const GROUPINGS: YieldGrouping[] = [
  'shift',
  'slot',
  'station',
  'package',
  'operator',
  'hour',
  'day',
];

let attemptIds: { lateFirst: string } = { lateFirst: '' };

async function seedHistory(): Promise<void> {
  const prisma = server.db.prisma;
  const { slots, operator } = await seedAnalyticsLine(prisma);
  let serial = 0;
  const create = (moduleId: string, step: Step, retryOfId: string | null, open = false) => {
    const where = slots[step.slot];
    const startedAt = new Date(step.at);
    return prisma.flashAttempt.create({
      data: {
        moduleId,
        stationId: where.station.id,
        slotId: where.slot.id,
        packageId: where.pkg.id,
        retryOfId,
        operatorId: step.byOperator ? operator.id : null,
        startedAt,
        endedAt: open ? null : new Date(startedAt.getTime() + 60_000),
        outcome: open ? 'running' : step.outcome,
        stageReached: step.outcome === 'passed' ? 'finish' : 'write',
      },
    });
  };
  for (const steps of Object.values(HISTORY)) {
    const module = await prisma.module.create({ data: { imei: testImei(700_000 + serial++) } });
    let retryOfId: string | null = null;
    for (const step of steps) retryOfId = (await create(module.id, step, retryOfId)).id;
  }
  // The late replay: the older attempt is still open when the newer one's pass is stored, and
  // is settled afterwards through the settle path the result recorder uses.
  const late = await prisma.module.create({ data: { imei: testImei(700_000 + serial++) } });
  const first = await create(
    late.id,
    { at: LATE.first, slot: 'j1/1', outcome: 'failed' },
    null,
    true,
  );
  await create(late.id, { at: LATE.second, slot: 'j2/1', outcome: 'passed' }, first.id);
  attemptIds = { lateFirst: first.id };
}

beforeAll(async () => {
  server = await startTestServer();
  await seedHistory();
  supervisor = await server.signIn('supervisor');
}, 90_000);

afterAll(async () => {
  await server?.close();
}, 60_000);

const defaultShifts = () => parseShifts('06:00-14:00,14:00-22:00,22:00-06:00') as ShiftSpec[];

/** The repository's figures for a window, from the roll-up or from the attempts. */
const figures = (
  from: string,
  to: string,
  groupBy: YieldGrouping,
  wholeShift: boolean,
  line = { timeZone: 'UTC', shifts: defaultShifts() },
) =>
  analyticsRepository.yieldGroups(server.db.prisma, {
    from: new Date(from),
    to: new Date(to),
    groupBy,
    ...line,
    wholeShift,
  });

async function yieldFromServer(from: string, to: string, groupBy: string): Promise<YieldRow[]> {
  const response = await fetch(
    `${server.baseUrl}/api/yield?from=${from}&to=${to}&groupBy=${groupBy}`,
    { headers: { cookie: supervisor } },
  );
  expect(response.status, await response.clone().text()).toBe(200);
  return YieldResponse.parse(await response.json()).rows;
}

const counts = (rows: YieldRow[]) => rows.map(({ unitsPerHour: _perHour, ...counted }) => counted);

describe('unit_shifts roll-up', () => {
  it('follows an older attempt settled after a newer one: the first attempt becomes the older', async () => {
    const before = await figures(SHIFTS_UTC[0][0], SHIFTS_UTC[0][1], 'slot', true);
    // Before the replay the late unit's first finished attempt is its 10:30 pass on j2/1.
    expect(before.find((g) => g.key === 'j2/1')).toMatchObject({ units: 2, firstPassUnits: 1 });
    await attemptRepository.settle(server.db.prisma, attemptIds.lateFirst, {
      outcome: 'failed',
      stageReached: 'write',
      errorCode: 4008,
      errorName: 'ERR_4008',
    });
    const after = await figures(SHIFTS_UTC[0][0], SHIFTS_UTC[0][1], 'slot', true);
    // Now its first is the 10:00 failure on j1/1: j2/1 keeps only `retried`, j1/1 gains it.
    expect(after.find((g) => g.key === 'j2/1')).toMatchObject({ units: 1, firstPassUnits: 0 });
    expect(after.find((g) => g.key === 'j1/1')).toMatchObject({
      units: 2,
      firstPassUnits: 0,
      passedUnits: 1,
      attempts: 3,
    });
  });

  it('gives the figures the attempts give, for every shift and grouping', async () => {
    let units = 0;
    for (const [from, to] of SHIFTS_UTC) {
      for (const groupBy of GROUPINGS) {
        const fromAttempts = await figures(from, to, groupBy, false);
        expect(await figures(from, to, groupBy, true), `${groupBy} ${from}`).toEqual(fromAttempts);
        if (groupBy === 'shift') units += fromAttempts.reduce((n, g) => n + g.units, 0);
      }
    }
    // boundary ×2, retried, firstPass, lateReplay (day); neverPassed (evening); night.
    expect(units).toBe(7);
  });

  it('is what GET /api/yield reads for a whole shift, and only for a whole shift', async () => {
    const [from, to] = SHIFTS_UTC[0];
    const oneMinuteMore = new Date(new Date(to).getTime() + 60_000).toISOString();
    const wholeShift = await yieldFromServer(from, to, 'slot');
    const longer = await yieldFromServer(from, oneMinuteMore, 'slot');
    expect(wholeShift.reduce((n, r) => n + r.units, 0)).toBe(4);
    // Units per hour differ (8 h against 8 h 1 min); the counts are the same.
    expect(counts(longer)).toEqual(counts(wholeShift));
    // With the roll-up emptied, the whole shift has no units left; the longer window, read
    // from the attempts, still has them.
    await server.db.prisma.$executeRaw`TRUNCATE "unit_shifts"`;
    try {
      expect((await yieldFromServer(from, to, 'slot')).reduce((n, r) => n + r.units, 0)).toBe(0);
      expect(counts(await yieldFromServer(from, oneMinuteMore, 'slot'))).toEqual(
        counts(wholeShift),
      );
    } finally {
      await server.db.prisma.$queryRaw`
        SELECT unit_shifts_rebuild(time_zone, shifts) FROM unit_shift_definition`;
    }
    expect(await yieldFromServer(from, to, 'slot')).toEqual(wholeShift);
  });

  it('is rebuilt when the shift definition changes, and left alone when it does not', async () => {
    const line = { timeZone: 'Asia/Kolkata', shifts: parseShifts('00:00-12:00,12:00-00:00') };
    if (typeof line.shifts === 'string') throw new Error(line.shifts);
    const kolkata = { timeZone: line.timeZone, shifts: line.shifts };
    try {
      const rebuilt = await unitShiftRepository.ensureDefinition(server.db.prisma, kolkata);
      // Units per 12-hour Kolkata shift (UTC+05:30): 2026-11-26 12:00 IST = 06:30 UTC.
      expect(rebuilt.rebuilt).toBe(true);
      expect(rebuilt.rows).toBeGreaterThan(0);
      expect(await unitShiftRepository.ensureDefinition(server.db.prisma, kolkata)).toEqual({
        rebuilt: false,
        rows: 0,
      });
      const kolkataShifts = [
        ['2026-11-25T18:30:00Z', '2026-11-26T06:30:00Z'],
        ['2026-11-26T06:30:00Z', '2026-11-26T18:30:00Z'],
        ['2026-11-26T18:30:00Z', '2026-11-27T06:30:00Z'],
      ] as const;
      for (const [from, to] of kolkataShifts)
        for (const groupBy of GROUPINGS)
          expect(await figures(from, to, groupBy, true, kolkata), `${groupBy} ${from}`).toEqual(
            await figures(from, to, groupBy, false, kolkata),
          );
    } finally {
      await unitShiftRepository.ensureDefinition(server.db.prisma, {
        timeZone: 'UTC',
        shifts: defaultShifts(),
      });
    }
  });

  it('counts both of two attempts of one module written at once (its settles wait in turn)', async () => {
    const prisma = server.db.prisma;
    const template = await prisma.flashAttempt.findFirstOrThrow({ where: { outcome: 'passed' } });
    const module = await prisma.module.create({ data: { imei: testImei(799_999) } });
    const attempt = (at: string, outcome: 'passed' | 'failed') => ({
      moduleId: module.id,
      stationId: template.stationId,
      slotId: template.slotId,
      packageId: template.packageId,
      startedAt: new Date(at),
      endedAt: new Date(new Date(at).getTime() + 60_000),
      outcome,
      stageReached: 'write' as const,
    });
    let inserted!: () => void;
    let commit!: () => void;
    const newerInserted = new Promise<void>((resolve) => (inserted = resolve));
    const mayCommit = new Promise<void>((resolve) => (commit = resolve));
    // The newer pass is written first and held uncommitted while the older failure is written.
    const newer = prisma.$transaction(async (tx) => {
      await tx.flashAttempt.create({ data: attempt('2026-11-24T10:30:00Z', 'passed') });
      inserted();
      await mayCommit;
    });
    await newerInserted;
    let olderDone = false;
    const older = prisma
      .$transaction((tx) =>
        tx.flashAttempt.create({ data: attempt('2026-11-24T10:00:00Z', 'failed') }),
      )
      .then(() => (olderDone = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(olderDone).toBe(false); // waiting for the unit's row, written but not committed
    commit();
    await Promise.all([newer, older]);
    expect(
      await prisma.unitShift.findMany({
        where: { moduleId: module.id },
        select: { firstPassed: true, anyPassed: true, finishedAttempts: true, startedAt: true },
      }),
    ).toEqual([
      {
        firstPassed: false,
        anyPassed: true,
        finishedAttempts: 2,
        startedAt: new Date('2026-11-24T10:00:00Z'),
      },
    ]);
  });
});
