// Yield and the failure Pareto (issue #10, docs/analytics.md) through the real server runtime and
// Postgres, on a small history whose figures are worked out by hand below: retries chained by
// retry_of_id, an interrupted and a canceled attempt, attempts either side of the window, the
// 14:00 and 22:00 shift boundaries and a night shift past midnight. Line clock: UTC (the default).
import {
  ParetoResponse,
  YieldResponse,
  type ErrorResponse,
  type YieldRow,
} from '@station/contracts';
import { testImei } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAnalyticsLine } from './analytics-line';
import { startTestServer, type TestServer } from './helpers';

let server: TestServer;
let supervisor: string;

// The window: 2026-11-26 10:00 to 2026-11-27 01:00 UTC, 15 hours.
const FROM = '2026-11-26T10:00:00.000Z';
const TO = '2026-11-27T01:00:00.000Z';

type Outcome = 'passed' | 'failed' | 'interrupted' | 'canceled';
interface Step {
  at: string;
  slot: 'j1/1' | 'j1/2' | 'j2/1';
  outcome: Outcome;
  stage?: 'brom' | 'da_upload' | 'write' | 'finish';
  error?: [number, string];
  /** Started by the demo operator; otherwise by no user (an API key or a script). */
  byOperator?: true;
}

const DA_FAIL: [number, string] = [2004, 'S_BROM_DOWNLOAD_DA_FAIL'];
const WRITE_FAIL: [number, string] = [4008, 'ERR_4008'];

/**
 * Each module's attempts in order; each after the first retries the one before it (retry_of_id).
 * j1 slots flash package A, j2 package B.
 */
const HISTORY: Record<string, Step[]> = {
  // Before the window it failed; in the window its first attempt passed: a first-pass unit.
  M1: [
    {
      at: '2026-11-26T09:00:00Z',
      slot: 'j1/1',
      outcome: 'failed',
      stage: 'write',
      error: WRITE_FAIL,
    },
    { at: '2026-11-26T13:10:00Z', slot: 'j1/1', outcome: 'passed', byOperator: true },
  ],
  // Fails at 13:50 (day shift), passes on a retry at 14:05: stays a day-shift unit.
  M2: [
    {
      at: '2026-11-26T13:50:00Z',
      slot: 'j1/1',
      outcome: 'failed',
      stage: 'da_upload',
      error: DA_FAIL,
    },
    { at: '2026-11-26T14:05:00Z', slot: 'j1/2', outcome: 'passed' },
  ],
  // Fails twice: never passes.
  M3: [
    {
      at: '2026-11-26T14:20:00Z',
      slot: 'j1/2',
      outcome: 'failed',
      stage: 'write',
      error: WRITE_FAIL,
    },
    {
      at: '2026-11-26T14:30:00Z',
      slot: 'j1/2',
      outcome: 'failed',
      stage: 'write',
      error: WRITE_FAIL,
    },
  ],
  // Interrupted, then passes: the interruption judges nobody, so a first-pass unit.
  M4: [
    { at: '2026-11-26T15:00:00Z', slot: 'j2/1', outcome: 'interrupted', stage: 'brom' },
    { at: '2026-11-26T15:10:00Z', slot: 'j2/1', outcome: 'passed' },
  ],
  // Fails at 21:50 (no error code), again at 22:10, passes at 22:20: an evening-shift unit.
  M5: [
    { at: '2026-11-26T21:50:00Z', slot: 'j2/1', outcome: 'failed', stage: 'brom' },
    {
      at: '2026-11-26T22:10:00Z',
      slot: 'j2/1',
      outcome: 'failed',
      stage: 'da_upload',
      error: DA_FAIL,
    },
    { at: '2026-11-26T22:20:00Z', slot: 'j1/1', outcome: 'passed' },
  ],
  // Passes at 22:30; fails after the window (not counted).
  M6: [
    { at: '2026-11-26T22:30:00Z', slot: 'j1/1', outcome: 'passed' },
    {
      at: '2026-11-27T01:30:00Z',
      slot: 'j1/1',
      outcome: 'failed',
      stage: 'write',
      error: WRITE_FAIL,
    },
  ],
  // Past midnight: still the night shift that started on the 26th.
  M7: [{ at: '2026-11-27T00:30:00Z', slot: 'j2/1', outcome: 'passed' }],
  // Only a canceled attempt: no unit, shown apart.
  M8: [{ at: '2026-11-26T18:00:00Z', slot: 'j1/2', outcome: 'canceled', stage: 'brom' }],
};

async function seedHistory(): Promise<void> {
  const prisma = server.db.prisma;
  const { slots, operator } = await seedAnalyticsLine(prisma);
  let serial = 0;
  for (const steps of Object.values(HISTORY)) {
    const module = await prisma.module.create({ data: { imei: testImei(900_000 + serial++) } });
    let retryOfId: string | null = null;
    for (const step of steps) {
      const where = slots[step.slot];
      const startedAt = new Date(step.at);
      const attempt: { id: string } = await prisma.flashAttempt.create({
        data: {
          moduleId: module.id,
          stationId: where.station.id,
          slotId: where.slot.id,
          packageId: where.pkg.id,
          retryOfId,
          operatorId: step.byOperator ? operator.id : null,
          startedAt,
          endedAt: new Date(startedAt.getTime() + 60_000),
          outcome: step.outcome,
          stageReached: step.stage ?? 'finish',
          errorCode: step.error?.[0] ?? null,
          errorName: step.error?.[1] ?? null,
        },
      });
      retryOfId = attempt.id;
    }
  }
}

beforeAll(async () => {
  server = await startTestServer();
  await seedHistory();
  supervisor = await server.signIn('supervisor');
}, 90_000);

afterAll(async () => {
  await server?.close();
}, 60_000);

const get = (path: string, cookie = supervisor) =>
  fetch(`${server.baseUrl}${path}`, { headers: { cookie } });

async function yieldBy(groupBy: string): Promise<YieldRow[]> {
  const response = await get(`/api/yield?from=${FROM}&to=${TO}&groupBy=${groupBy}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return YieldResponse.parse(await response.json()).rows;
}

/** A row as the test writes it: ratios as fractions of the hand counts. */
const row = (
  key: string,
  c: {
    units: number;
    firstPass: number;
    passed: number;
    attempts: number;
    hours: number;
    interrupted?: number;
  },
): YieldRow => ({
  key,
  units: c.units,
  firstPassYield: c.units === 0 ? null : c.firstPass / c.units,
  finalYield: c.units === 0 ? null : c.passed / c.units,
  retestRate: c.units === 0 ? null : (c.attempts - c.units) / c.units,
  unitsPerHour: c.passed / c.hours,
  attempts: c.attempts,
  interrupted: c.interrupted ?? 0,
});

describe('GET /api/yield', () => {
  it('groups by shift, each unit in the shift of its first finished attempt', async () => {
    // Day shift 06-14, inside the window 10:00-14:00 = 4 h. Units M1 (passed first), M2 (failed
    // 13:50, passed 14:05 in the next shift: still here). Attempts 1 + 2 = 3.
    //   first-pass 1/2 = 0.5, final 2/2 = 1, retest (3-2)/2 = 0.5, per hour 2/4 = 0.5.
    // Evening 14-22, 8 h. Units M3 (failed, failed), M4 (interrupted, passed), M5 (failed 21:50,
    // failed 22:10, passed 22:20). Attempts 2 + 1 + 3 = 6. Interrupted: M4's, M8's canceled = 2.
    //   first-pass 1/3 (M4), final 2/3 (M4, M5), retest (6-3)/3 = 1, per hour 2/8 = 0.25.
    // Night 22-06 that began on the 26th, inside the window 22:00-01:00 = 3 h. Units M6 (22:30),
    // M7 (00:30 on the 27th). Attempts 2 (M6's 01:30 failure is after the window).
    //   first-pass 2/2, final 2/2, retest 0, per hour 2/3.
    expect(await yieldBy('shift')).toEqual([
      row('2026-11-26 06:00-14:00', { units: 2, firstPass: 1, passed: 2, attempts: 3, hours: 4 }),
      row('2026-11-26 14:00-22:00', {
        units: 3,
        firstPass: 1,
        passed: 2,
        attempts: 6,
        hours: 8,
        interrupted: 2,
      }),
      row('2026-11-26 22:00-06:00', { units: 2, firstPass: 2, passed: 2, attempts: 2, hours: 3 }),
    ]);
  });

  it('groups by slot over the whole window (15 h)', async () => {
    // j1/1: first attempts of M1 (13:10 passed), M2 (13:50 failed), M6 (22:30 passed). Attempts
    //   1 + 2 + 1 = 4; first-pass 2/3, final 3/3, retest (4-3)/3 = 1/3, per hour 3/15 = 0.2.
    // j1/2: M3 (failed twice). first-pass 0, final 0, retest (2-1)/1 = 1, per hour 0; M8's
    //   canceled attempt: interrupted 1.
    // j2/1: M4, M5, M7. Attempts 1 + 3 + 1 = 5; first-pass 2/3 (M4, M7), final 3/3, retest
    //   (5-3)/3 = 2/3, per hour 3/15; M4's interrupted attempt: 1.
    expect(await yieldBy('slot')).toEqual([
      row('j1/1', { units: 3, firstPass: 2, passed: 3, attempts: 4, hours: 15 }),
      row('j1/2', { units: 1, firstPass: 0, passed: 0, attempts: 2, hours: 15, interrupted: 1 }),
      row('j2/1', { units: 3, firstPass: 2, passed: 3, attempts: 5, hours: 15, interrupted: 1 }),
    ]);
  });

  it('groups by hour, hours with no attempt left out', async () => {
    // 13:00 M1, M2: attempts 3, first-pass 1/2, final 2/2, per hour 2/1.
    // 14:00 M3: attempts 2, first-pass 0, final 0.   15:00 M4 (+ its interrupted attempt).
    // 18:00 M8's canceled attempt only: no unit, ratios null, 0 per hour.
    // 21:00 M5: attempts 3, final 1.   22:00 M6.   00:00 on the 27th M7.
    expect(await yieldBy('hour')).toEqual([
      row('2026-11-26T13:00', { units: 2, firstPass: 1, passed: 2, attempts: 3, hours: 1 }),
      row('2026-11-26T14:00', { units: 1, firstPass: 0, passed: 0, attempts: 2, hours: 1 }),
      row('2026-11-26T15:00', {
        units: 1,
        firstPass: 1,
        passed: 1,
        attempts: 1,
        hours: 1,
        interrupted: 1,
      }),
      row('2026-11-26T18:00', {
        units: 0,
        firstPass: 0,
        passed: 0,
        attempts: 0,
        hours: 1,
        interrupted: 1,
      }),
      row('2026-11-26T21:00', { units: 1, firstPass: 0, passed: 1, attempts: 3, hours: 1 }),
      row('2026-11-26T22:00', { units: 1, firstPass: 1, passed: 1, attempts: 1, hours: 1 }),
      row('2026-11-27T00:00', { units: 1, firstPass: 1, passed: 1, attempts: 1, hours: 1 }),
    ]);
  });

  it('groups by operator, (none) for attempts no user started', async () => {
    // operator: M1's 13:10 pass, 1 unit. (none): M2..M7, 6 units; first-pass M4, M6, M7 = 3;
    // passed M2, M4, M5, M6, M7 = 5; attempts 2 + 2 + 1 + 3 + 1 + 1 = 10; interrupted M4's and
    // M8's = 2; per hour over the 15 h window.
    expect(await yieldBy('operator')).toEqual([
      row('(none)', { units: 6, firstPass: 3, passed: 5, attempts: 10, hours: 15, interrupted: 2 }),
      row('operator', { units: 1, firstPass: 1, passed: 1, attempts: 1, hours: 15 }),
    ]);
  });

  it('groups by day, the hours of each day inside the window', async () => {
    // 2026-11-26, 10:00-24:00 inside the window = 14 h. Units M1 (13:10), M2 (13:50), M3 (14:20),
    // M4 (first finished 15:10), M5 (21:50), M6 (22:30) = 6. First-pass M1, M4, M6 = 3; passed
    // all but M3 = 5; attempts 1 + 2 + 2 + 1 + 3 + 1 = 10 (M6's 01:30 failure is after the
    // window); interrupted M4's 15:00 and M8's canceled 18:00 = 2. Per hour 5/14.
    // 2026-11-27, 00:00-01:00 = 1 h: M7 alone, passed first time.
    expect(await yieldBy('day')).toEqual([
      row('2026-11-26', {
        units: 6,
        firstPass: 3,
        passed: 5,
        attempts: 10,
        hours: 14,
        interrupted: 2,
      }),
      row('2026-11-27', { units: 1, firstPass: 1, passed: 1, attempts: 1, hours: 1 }),
    ]);
  });

  it('groups by station, each unit at the station of its first finished attempt', async () => {
    // j1: M1, M2, M6 (first on j1/1) and M3 (j1/2) = 4 units. First-pass M1, M6 = 2; passed M1,
    //   M2, M6 = 3; attempts 1 + 2 + 1 + 2 = 6; M8's canceled attempt on j1/2: interrupted 1.
    // j2: M4, M5, M7 = 3 units (M5's 22:20 pass on j1/1 stays with its first attempt on j2/1).
    //   First-pass M4, M7 = 2; passed 3; attempts 1 + 3 + 1 = 5; M4's interrupted attempt: 1.
    // Per hour over the whole 15 h window: 3/15 each.
    expect(await yieldBy('station')).toEqual([
      row('j1', { units: 4, firstPass: 2, passed: 3, attempts: 6, hours: 15, interrupted: 1 }),
      row('j2', { units: 3, firstPass: 2, passed: 3, attempts: 5, hours: 15, interrupted: 1 }),
    ]);
  });

  it('groups by package, each unit with the package of its first finished attempt', async () => {
    // j1's slots flash PKG-A, j2's PKG-B, so the units split as by station: M5's pass with PKG-A
    // at 22:20 counts for PKG-B, the package of its first attempt (21:50 on j2/1).
    expect(await yieldBy('package')).toEqual([
      row('PKG-A r1', {
        units: 4,
        firstPass: 2,
        passed: 3,
        attempts: 6,
        hours: 15,
        interrupted: 1,
      }),
      row('PKG-B r1', {
        units: 3,
        firstPass: 2,
        passed: 3,
        attempts: 5,
        hours: 15,
        interrupted: 1,
      }),
    ]);
  });

  it('refuses a window that ends before it starts or is too long, in one sentence', async () => {
    const status = async (query: string) => {
      const response = await get(`/api/yield?${query}`);
      return { status: response.status, body: (await response.json()) as ErrorResponse };
    };
    const backwards = await status(`from=${TO}&to=${FROM}&groupBy=day`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('to must be after from');
    const long = await status('from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&groupBy=day');
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('at most 400 days');
    const unknown = await status(`from=${FROM}&to=${TO}&groupBy=week`);
    expect(unknown.status).toBe(400);
  });

  it('refuses an operator', async () => {
    const operator = await server.signIn('operator');
    const response = await get(`/api/yield?from=${FROM}&to=${TO}&groupBy=shift`, operator);
    expect(response.status).toBe(403);
    expect(((await response.json()) as ErrorResponse).error.message).toBe(
      'Your role operator may not read yield figures',
    );
  });
});

describe('GET /api/failures/pareto', () => {
  const pareto = async (by: string) => {
    const response = await get(`/api/failures/pareto?from=${FROM}&to=${TO}&by=${by}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return ParetoResponse.parse(await response.json()).rows;
  };

  // Failed attempts in the window: M2 13:50 (da_upload, 2004), M3 14:20 and 14:30 (write, 4008),
  // M5 21:50 (brom, no code) and 22:10 (da_upload, 2004): 5. M1's 09:00 and M6's 01:30 failures
  // are outside the window.
  it('ranks error codes: 2004 and 4008 twice each (2/5, cumulative 4/5), none once', async () => {
    expect(await pareto('errorCode')).toEqual([
      {
        key: '2004',
        label: 'S_BROM_DOWNLOAD_DA_FAIL',
        count: 2,
        share: 2 / 5,
        cumulativeShare: 2 / 5,
      },
      { key: '4008', label: 'ERR_4008', count: 2, share: 2 / 5, cumulativeShare: 4 / 5 },
      { key: 'none', label: 'none', count: 1, share: 1 / 5, cumulativeShare: 5 / 5 },
    ]);
  });

  it('ranks stages: da_upload and write twice each, brom once', async () => {
    expect(await pareto('stage')).toEqual([
      { key: 'da_upload', label: 'da_upload', count: 2, share: 2 / 5, cumulativeShare: 2 / 5 },
      { key: 'write', label: 'write', count: 2, share: 2 / 5, cumulativeShare: 4 / 5 },
      { key: 'brom', label: 'brom', count: 1, share: 1 / 5, cumulativeShare: 5 / 5 },
    ]);
  });

  it('ranks slots: j1/2 and j2/1 twice each, j1/1 once', async () => {
    // j1/1: M2 13:50. j1/2: M3 twice. j2/1: M5 21:50 and 22:10.
    expect((await pareto('slot')).map((r) => [r.key, r.label, r.count])).toEqual([
      ['j1/2', 'j1 S2', 2],
      ['j2/1', 'j2 S1', 2],
      ['j1/1', 'j1 S1', 1],
    ]);
  });

  it('ranks stations: j1 three times (M2, M3 twice), j2 twice (M5 twice)', async () => {
    // Every failure, retries included, at the station it happened on; label the station's name
    // (the test names each station by its code).
    expect(await pareto('station')).toEqual([
      { key: 'j1', label: 'j1', count: 3, share: 3 / 5, cumulativeShare: 3 / 5 },
      { key: 'j2', label: 'j2', count: 2, share: 2 / 5, cumulativeShare: 5 / 5 },
    ]);
  });

  it('ranks packages: PKG-A (j1) three times, PKG-B (j2) twice', async () => {
    expect(await pareto('package')).toEqual([
      { key: 'PKG-A r1', label: 'PKG-A r1', count: 3, share: 3 / 5, cumulativeShare: 3 / 5 },
      { key: 'PKG-B r1', label: 'PKG-B r1', count: 2, share: 2 / 5, cumulativeShare: 5 / 5 },
    ]);
  });

  it('answers an empty window with no rows', async () => {
    const response = await get(
      '/api/failures/pareto?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z&by=package',
    );
    expect(ParetoResponse.parse(await response.json()).rows).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('describes both routes with their queries', async () => {
    const response = await get('/docs/json', await server.signIn('engineer'));
    const doc = (await response.json()) as {
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    };
    const names = (path: string) => doc.paths[path]?.get?.parameters?.map((p) => p.name);
    expect(names('/api/yield')).toEqual(['from', 'to', 'groupBy']);
    expect(names('/api/failures/pareto')).toEqual(['from', 'to', 'by']);
  });
});
