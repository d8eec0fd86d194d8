// The two routes the supervisors' yield page needs besides the figures (issue #10 §4), through the
// real server runtime and Postgres: the analytics settings with the shift running now, and the
// open decisions (suspect and disabled slots, quarantined modules) that wait for a supervisor.
// Decisions are written as the line writes them (a decision row and the status it sets, as
// line-judgement.test.ts does); releases and disables go through the real routes.
import { randomUUID } from 'node:crypto';
import {
  AnalyticsSettingsResponse,
  OpenDecisionsResponse,
  type ErrorResponse,
} from '@station/contracts';
import { stationRepository } from '@station/db';
import { testImei } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

const STATION = 'yield-api';
const ZONE = 'Asia/Kolkata'; // UTC+05:30: shifts on the zone's clock, not UTC's
const SHIFTS = '00:00-12:00,12:00-00:00';

let server: TestServer;
let supervisor: string;
let operator: string;

beforeAll(async () => {
  server = await startTestServer({
    LINE_TIME_ZONE: ZONE,
    SHIFTS,
    UNITS_PER_HOUR_TARGET: '45',
  });
  supervisor = await server.signIn('supervisor');
  operator = await server.signIn('operator');
}, 90_000);

afterAll(async () => {
  await server?.close();
}, 60_000);

const request = async (method: string, path: string, cookie?: string, json?: unknown) => {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

describe('GET /api/analytics/settings', () => {
  it("gives the zone, the shifts, the target and the shift running now on the line's clock", async () => {
    const before = Date.now();
    const answer = await request('GET', '/api/analytics/settings', supervisor);
    const after = Date.now();
    expect(answer.status).toBe(200);
    const settings = AnalyticsSettingsResponse.parse(answer.body);
    expect(settings).toMatchObject({
      timeZone: ZONE,
      shifts: ['00:00-12:00', '12:00-00:00'],
      unitsPerHourTarget: 45,
    });
    const { key, from, to } = settings.currentShift;
    // Twelve hours holding the moment of the request, starting at 00:00 or 12:00 in Kolkata
    // (18:30 or 06:30 UTC), keyed by the day it began there.
    expect(Date.parse(to) - Date.parse(from)).toBe(12 * 3_600_000);
    expect(Date.parse(from)).toBeLessThanOrEqual(after);
    expect(Date.parse(to)).toBeGreaterThan(before);
    expect(from).toMatch(/T(18|06):30:00\.000Z$/);
    const startedOn = new Date(from).toLocaleDateString('en-CA', { timeZone: ZONE });
    const label = from.includes('T18:30') ? '00:00-12:00' : '12:00-00:00';
    expect(key).toBe(`${startedOn} ${label}`);
  });

  it('refuses an operator and an anonymous caller', async () => {
    expect(await request('GET', '/api/analytics/settings', operator)).toEqual({
      status: 403,
      body: {
        error: {
          code: 'FORBIDDEN',
          message: 'Your role operator may not read the analytics settings',
        },
      },
    });
    expect((await request('GET', '/api/analytics/settings')).status).toBe(401);
  });
});

describe('GET /api/attribution/open', () => {
  const suspectImei = testImei(770_001);
  const evidence = [randomUUID(), randomUUID(), randomUUID()];
  const moduleEvidence = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    const prisma = server.db.prisma;
    const { station } = await stationRepository.upsert(prisma, {
      code: STATION,
      name: STATION,
      slots: [1, 2, 3].map((n) => ({ index: n - 1, label: `S${n}`, powerControl: 'emulator' })),
    });
    const slot2 = station.slots[1]!;
    await prisma.attributionDecision.create({
      data: {
        kind: 'slot.suspect',
        slotId: slot2.id,
        reason: '3 different modules failed in slot 2 while its neighbours passed',
        evidence,
        decidedAt: new Date('2026-11-27T08:00:00Z'),
      },
    });
    await prisma.slot.update({
      where: { id: slot2.id },
      data: {
        status: 'suspect',
        statusReason: '3 different modules failed in slot 2 while its neighbours passed',
      },
    });
    const module = await prisma.module.create({
      data: {
        imei: suspectImei,
        status: 'quarantined',
        statusReason: 'failed on two healthy slots',
      },
    });
    await prisma.attributionDecision.create({
      data: {
        kind: 'module.quarantined',
        moduleId: module.id,
        reason: 'failed on two healthy slots',
        evidence: moduleEvidence,
        decidedAt: new Date('2026-11-27T09:00:00Z'),
      },
    });
  });

  const openList = async () => {
    const answer = await request('GET', '/api/attribution/open', supervisor);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return OpenDecisionsResponse.parse(answer.body);
  };

  it('lists the suspect slot and the quarantined module with their reasons, evidence and times', async () => {
    expect(await openList()).toEqual({
      slots: [
        {
          stationId: STATION,
          slot: 2,
          slotLabel: 'S2',
          status: 'suspect',
          reason: '3 different modules failed in slot 2 while its neighbours passed',
          evidence,
          since: '2026-11-27T08:00:00.000Z',
        },
      ],
      modules: [
        {
          imei: suspectImei,
          reason: 'failed on two healthy slots',
          evidence: moduleEvidence,
          since: '2026-11-27T09:00:00.000Z',
        },
      ],
    });
  });

  it('shows a slot a supervisor disabled, without evidence; releases take slots and modules off the list', async () => {
    const disabled = await request('POST', `/api/stations/${STATION}/slots/3/disable`, supervisor, {
      reason: 'cracked pogo pin',
    });
    expect(disabled.status).toBe(200);
    const withDisabled = await openList();
    expect(withDisabled.slots.map((s) => [s.slot, s.status, s.reason, s.evidence])).toEqual([
      // Disabled just now: newer than the suspect decision of 08:00.
      [3, 'disabled', 'cracked pogo pin', []],
      [2, 'suspect', '3 different modules failed in slot 2 while its neighbours passed', evidence],
    ]);
    expect(Date.parse(withDisabled.slots[0]!.since)).toBeGreaterThan(Date.now() - 3_600_000);

    // Bad input: a release needs its reason, said in one sentence.
    const noReason = await request('POST', `/api/stations/${STATION}/slots/2/release`, supervisor, {
      reason: 'ok',
    });
    expect(noReason.status).toBe(400);
    expect((noReason.body as ErrorResponse).error.message).toContain('say in a few words why');

    for (const path of [
      `/api/stations/${STATION}/slots/2/release`,
      `/api/stations/${STATION}/slots/3/release`,
      `/api/modules/${suspectImei}/release`,
    ]) {
      const released = await request('POST', path, supervisor, { reason: 'checked on the bench' });
      expect(released.status, `${path}: ${JSON.stringify(released.body)}`).toBe(200);
    }
    expect(await openList()).toEqual({ slots: [], modules: [] });
  });

  it('refuses an operator and an anonymous caller', async () => {
    expect(await request('GET', '/api/attribution/open', operator)).toEqual({
      status: 403,
      body: {
        error: {
          code: 'FORBIDDEN',
          message: 'Your role operator may not list suspect slots and quarantined modules',
        },
      },
    });
    expect((await request('GET', '/api/attribution/open')).status).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('lists both routes with their answers', async () => {
    const engineer = await server.signIn('engineer');
    const answer = await request('GET', '/docs/json', engineer);
    expect(answer.status).toBe(200);
    const doc = answer.body as {
      paths: Record<string, { get?: { responses?: Record<string, unknown> } }>;
    };
    for (const path of ['/api/analytics/settings', '/api/attribution/open']) {
      expect(Object.keys(doc.paths[path]?.get?.responses ?? {}), path).toContain('200');
    }
  });
});
