// The scan box's interlocks and labels (issue #9 §3, §4) on the real stack. Real: Postgres (own
// database), Redis (own key prefix: the double-scan keys), the server runtime, and the station
// agent as a child process driving an emulated 3-slot jig. Nothing is mocked.
import {
  AuditEventsResponse,
  flashQueueName,
  type CreateFlashJobResponse,
  type ErrorResponse,
  type SessionUser,
} from '@station/contracts';
import {
  labelImei,
  TEST_DEMO_BADGE,
  uniqueImei,
  waitFor,
  withWrongCheckDigit,
  type StationApp,
} from '@station/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanKey } from '../src/flash/double-scan';
import { postFlashJob, startStationFor, startTestServer, type TestServer } from './helpers';

const STATION = 'scan-1';
/** Long enough that two scans in a row fall inside it on a loaded machine. */
const WINDOW_MS = 10_000;

let server: TestServer;
let agent: StationApp;
let redis: Redis;
let supervisor: string;
let operator: string;

const post = (body: object, as = supervisor) =>
  postFlashJob(server, as, { stationId: STATION, ...body });
const errorOf = (answer: { body: unknown }) => (answer.body as ErrorResponse).error;
const prisma = () => server.db.prisma;
/** What a refused scan must not have written: modules, attempts, audit events. */
const footprint = async () => ({
  modules: await prisma().module.count(),
  attempts: await prisma().flashAttempt.count(),
  reworks: await prisma().auditEvent.count({ where: { action: 'flash.rework' } }),
});

const ended = (attemptId: string) =>
  waitFor(
    `attempt ${attemptId} ended`,
    async () => {
      const row = await prisma().flashAttempt.findUniqueOrThrow({ where: { id: attemptId } });
      return row.endedAt ? row : undefined;
    },
    { timeoutMs: 90_000 },
  );
/** The double-scan window of a label at this station has passed (its key expired). */
const windowOver = (imei: string) =>
  waitFor(
    `double-scan window of ${imei} over`,
    async () => (await redis.exists(scanKey(server.env.REDIS_PREFIX, STATION, imei))) === 0,
    { timeoutMs: WINDOW_MS * 3 },
  );
const whoAmI = async (cookie: string) =>
  (
    (await (await fetch(`${server.baseUrl}/api/session`, { headers: { cookie } })).json()) as {
      user: SessionUser;
    }
  ).user;

beforeAll(async () => {
  server = await startTestServer({ DOUBLE_SCAN_WINDOW_MS: String(WINDOW_MS) });
  agent = await startStationFor(server, STATION, { EMULATOR_SLOTS: '3' });
  redis = new Redis(server.env.REDIS_URL);
  supervisor = await server.signIn('supervisor');
  operator = await server.signIn({ badge: TEST_DEMO_BADGE, stationId: STATION });
}, 90_000);

afterAll(async () => {
  redis?.disconnect();
  await agent?.dispose();
  await server?.close();
}, 60_000);

describe('labels at POST /api/flash-jobs', { timeout: 120_000 }, () => {
  it('reads a 2D label, keeps it raw on the attempt with its format and the operator', async () => {
    const imei = labelImei(1);
    const label = `IMEI:${imei};SN:MPB19LA0001234;MODEL:MC60CA`;
    const created = await post({ slot: 1, label }, operator);
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const response = created.body as CreateFlashJobResponse;
    expect(response).toMatchObject({ slot: 1, imei, labelFormat: 'keyed' });
    const stored = await ended(response.attemptId);
    expect(stored).toMatchObject({
      outcome: 'passed',
      labelRaw: label,
      labelFormat: 'keyed',
      operatorId: (await whoAmI(operator)).id,
    });
  });

  it('refuses a label it cannot read (400 LABEL_UNREADABLE, saying which part) and writes nothing', async () => {
    const before = await footprint();
    const misread = withWrongCheckDigit(labelImei(2));
    const answer = await post({ slot: 2, label: `MC60CA ${misread} MPB19LA0001235` });
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toEqual({
      code: 'LABEL_UNREADABLE',
      message: `Label "MC60CA ${misread} MPB19LA0001235" not readable: the IMEI's check digit is ${misread[14]}, expected ${labelImei(2)[14]} (format model-imei-sn)`,
    });
    const noImei = await post({ slot: 2, label: 'SN:MPB19LA0001235;MODEL:MC60CA' });
    expect(errorOf(noImei)).toEqual({
      code: 'LABEL_UNREADABLE',
      message:
        'Label "SN:MPB19LA0001235;MODEL:MC60CA" not readable: no IMEI field in a label of format keyed',
    });
    // Exactly one of label and imei.
    const both = await post({ slot: 2, label: labelImei(2), imei: labelImei(2) });
    expect(both.status).toBe(400);
    expect(errorOf(both).message).toMatch(/exactly one of label \(as scanned\) and imei/);
    const tooLong = await post({ slot: 2, label: 'x'.repeat(600) });
    expect(tooLong.status).toBe(400);
    expect(await footprint()).toEqual(before);
    // Nothing claimed either: the right label goes through at once.
    expect(await redis.exists(scanKey(server.env.REDIS_PREFIX, STATION, labelImei(2)))).toBe(0);
  });
});

describe('interlocks', { timeout: 120_000 }, () => {
  it('a label scanned twice within the window is a DOUBLE_SCAN, not sent to the next slot', async () => {
    const imei = labelImei(2);
    const first = await post({ slot: 2, label: imei }, operator);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const before = await footprint();
    // The scanner fires again; the dashboard has moved the focus to slot 3.
    const again = await post({ slot: 3, label: `IMEI:${imei}` }, operator);
    expect(again.status).toBe(409);
    expect(errorOf(again)).toEqual({
      code: 'DOUBLE_SCAN',
      message: `This label was just scanned at slot 2 (IMEI ${imei}): not started in slot 3 as well`,
    });
    expect(await footprint()).toEqual(before);
    await ended((first.body as CreateFlashJobResponse).attemptId);
  });

  it('a module that already passed with this package is refused (ALREADY_PASSED); an operator may not rework it', async () => {
    const imei = labelImei(1); // passed in the first test
    await windowOver(imei);
    const before = await footprint();
    const refused = await post({ slot: 1, label: imei }, operator);
    expect(refused.status).toBe(409);
    expect(errorOf(refused)).toEqual({
      code: 'ALREADY_PASSED',
      message: `Module ${imei} already passed with demo-MC60CAR01A13: it is not flashed again without a supervisor's rework`,
    });
    const rework = await post({ slot: 1, label: imei, rework: true }, operator);
    expect(rework.status).toBe(403);
    expect(errorOf(rework)).toEqual({
      code: 'FORBIDDEN',
      message: 'Your role operator may not rework a module that already passed: ask a supervisor',
    });
    expect(await footprint()).toEqual(before);
    // The refusals released their claim: the supervisor's rework is no double scan.
    expect(await redis.exists(scanKey(server.env.REDIS_PREFIX, STATION, imei))).toBe(0);
  });

  it("a supervisor's rework flashes it again and is audited with the IMEI, package and who", async () => {
    const imei = labelImei(1);
    const created = await post({ slot: 1, label: imei, rework: true });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const { attemptId } = created.body as CreateFlashJobResponse;
    expect((await ended(attemptId)).outcome).toBe('passed');
    const me = await whoAmI(supervisor);
    const audit = await fetch(`${server.baseUrl}/api/audit-events?action=flash.rework`, {
      headers: { cookie: supervisor },
    });
    const { events } = AuditEventsResponse.parse(await audit.json());
    expect(events).toEqual([
      expect.objectContaining({
        action: 'flash.rework',
        entityType: 'module',
        entityId: imei,
        actorId: me.id,
        details: expect.objectContaining({
          imei,
          package: 'demo-MC60CAR01A13',
          stationId: STATION,
          slot: 1,
          attemptId,
        }),
      }),
    ]);
    // A rework flag on a module that never passed changes nothing and audits nothing.
    await windowOver(labelImei(3));
    const fresh = await post({ slot: 3, label: labelImei(3), rework: true });
    expect(fresh.status).toBe(202);
    await ended((fresh.body as CreateFlashJobResponse).attemptId);
    expect(await prisma().auditEvent.count({ where: { action: 'flash.rework' } })).toBe(1);
  });

  it('a suspect or disabled slot is refused with its reason, and takes scans again once active', async () => {
    const station = await prisma().station.findUniqueOrThrow({ where: { code: STATION } });
    const where = { stationId_index: { stationId: station.id, index: 2 } };
    const imei = labelImei(3);
    const before = await footprint();
    await prisma().slot.update({
      where,
      data: {
        status: 'suspect',
        statusReason: '4 of its last 5 attempts failed, neighbours passed',
      },
    });
    const suspect = await post({ slot: 3, label: imei }, operator);
    expect(suspect.status).toBe(409);
    expect(errorOf(suspect)).toEqual({
      code: 'SLOT_SUSPECT',
      message: `Slot 3 of station ${STATION} is suspect (4 of its last 5 attempts failed, neighbours passed): use another slot until a supervisor releases it`,
    });
    await prisma().slot.update({
      where,
      data: { status: 'disabled', statusReason: 'pogo pin bent' },
    });
    const disabled = await post({ slot: 3, label: imei }, operator);
    expect(errorOf(disabled)).toEqual({
      code: 'SLOT_DISABLED',
      message: `Slot 3 of station ${STATION} is disabled (pogo pin bent): use another slot`,
    });
    expect(await footprint()).toEqual(before);
    await prisma().slot.update({ where, data: { status: 'active', statusReason: null } });
    await windowOver(imei);
    const back = await post({ slot: 3, label: imei, rework: true });
    expect(back.status, JSON.stringify(back.body)).toBe(202);
    await ended((back.body as CreateFlashJobResponse).attemptId);
  });

  it('a module already running in another slot is refused naming that slot (MODULE_BUSY)', async () => {
    // The station's queue paused: the first scan's attempt stays open, its job waiting.
    const connection = new Redis(server.env.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(flashQueueName(STATION), {
      connection,
      prefix: server.env.REDIS_PREFIX,
    });
    const imei = uniqueImei();
    try {
      await queue.pause();
      const first = await post({ slot: 1, label: imei }, operator);
      expect(first.status, JSON.stringify(first.body)).toBe(202);
      await windowOver(imei);
      const before = await footprint();
      const busy = await post({ slot: 2, label: imei }, operator);
      expect(busy.status).toBe(409);
      expect(errorOf(busy)).toEqual({
        code: 'MODULE_BUSY',
        message: `Module ${imei} is already being flashed in slot 1: wait for its result`,
      });
      expect(await footprint()).toEqual(before);
      await queue.resume();
      // Not the module in slot 1: it ends FS_IMEI_MISMATCH, and the slot is free again.
      expect((await ended((first.body as CreateFlashJobResponse).attemptId)).errorName).toBe(
        'FS_IMEI_MISMATCH',
      );
    } finally {
      await queue.resume();
      await queue.close();
      connection.disconnect();
    }
  });
});
