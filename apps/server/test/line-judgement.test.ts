// The line's judgement on the real stack: the real server runtime (own Postgres database, own
// Redis prefix), socket.io over a websocket, and the station agent as a child process driving an
// emulated jig from a scenario file (EMULATOR_SCENARIO): slot 1's adapter is noisy above 460800,
// slot 2 is healthy. A scan in slot 1 fails its baud switch at 921600, the server retries it at
// 460800 as a linked attempt, which passes; first-pass yield from the record counts the module as
// finally passed, not first-pass. Then the supervisors' routes: slot status on the line, release
// and disable (audited, told to watchers), module release, the refusals; a station that leaves
// shows its slots offline. The failed attempt's page carries its protocol trace, the passed one's
// none. Nothing is mocked.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AttemptDetail,
  describeTraceEntry,
  StationDetail,
  type ClientToServerEvents,
  type ErrorResponse,
  type FlashResultEvent,
  type ServerToClientEvents,
  type SlotStatusEvent,
} from '@station/contracts';
import { stationRepository, yieldRepository } from '@station/db';
import {
  labelImei,
  TEST_DEMO_BADGE,
  tempDir,
  waitFor,
  type StationApp,
  type TempDir,
} from '@station/testkit';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFlashJob, startStationFor, startTestServer, type TestServer } from './helpers';
import { parsePrometheusText, sampleValue } from './prometheus-text';

const STATION = 'judge-1';
/** Known to the database only: an operator can sign in at its kiosk. */
const OTHER = 'judge-2';
const NOISY = 1;
const HEALTHY = 2;

let server: TestServer;
let agent: StationApp | undefined;
let scenarioDir: TempDir;
let supervisor: string;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const results: FlashResultEvent[] = [];
const slotEvents: SlotStatusEvent[] = [];

const request = async (method: string, path: string, cookie: string, body?: unknown) => {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};
const errorOf = (answer: { body: unknown }) => (answer.body as ErrorResponse).error;
const lineOf = async () =>
  StationDetail.parse((await request('GET', `/api/stations/${STATION}`, supervisor)).body).line;

beforeAll(async () => {
  server = await startTestServer();
  scenarioDir = await tempDir('judge-scenario');
  const scenario = join(scenarioDir.path, 'jig.json');
  await writeFile(
    scenario,
    JSON.stringify({
      slots: [
        {
          slot: NOISY,
          imei: labelImei(NOISY),
          adapterFaults: { noise: { aboveBaud: 460800, byteErrorRate: 0.05, seed: 3 } },
        },
        { slot: HEALTHY, imei: labelImei(HEALTHY) },
      ],
    }),
  );
  agent = await startStationFor(server, STATION, { EMULATOR_SCENARIO: scenario });
  supervisor = await server.signIn('supervisor');
  socket = connect(server.baseUrl, {
    transports: ['websocket'],
    extraHeaders: { cookie: supervisor },
  });
  socket.on('flash:result', (event) => results.push(event));
  socket.on('slot:status', (event) => slotEvents.push(event));
  await waitFor('socket connection', () => socket.connected);
  expect((await socket.emitWithAck('station:watch', { v: 1, stationId: STATION })).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  socket?.disconnect();
  await agent?.dispose();
  await server?.close();
  await scenarioDir?.dispose();
}, 60_000);

describe('a retry chain on the real stack', { timeout: 180_000 }, () => {
  it('retries a noisy line at 460800 as a linked attempt that passes; first-pass yield counts it', async () => {
    const imei = labelImei(NOISY);
    const scan = await postFlashJob(server, supervisor, { stationId: STATION, slot: NOISY, imei });
    expect(scan.status).toBe(202);
    const { attemptId } = scan.body as { attemptId: string };

    const first = await waitFor(
      'the first attempt’s result',
      () => results.find((r) => r.attemptId === attemptId),
      { timeoutMs: 120_000 },
    );
    expect(first).toMatchObject({
      outcome: 'failed',
      errorName: 'S_FT_CHANGE_BAUDRATE_FAIL',
      retryOfId: null,
      retry: { baud: 460800, reason: 'baud' },
    });
    const retryId = first.retry!.attemptId;
    const second = await waitFor(
      'the retry’s result',
      () => results.find((r) => r.attemptId === retryId),
      { timeoutMs: 120_000 },
    );
    expect(second).toMatchObject({ outcome: 'passed', retryOfId: attemptId, retry: null });

    const stored = await server.db.prisma.flashAttempt.findMany({
      where: { module: { imei } },
      orderBy: { startedAt: 'asc' },
    });
    expect(stored.map((a) => [a.id, a.outcome, a.baud, a.retryOfId])).toEqual([
      [attemptId, 'failed', 921600, null],
      [retryId, 'passed', 460800, attemptId],
    ]);
    expect(
      await yieldRepository.firstPass(server.db.prisma, { stationCode: STATION }),
    ).toMatchObject({ modules: 1, firstPass: 0, finallyPassed: 1, firstPassYield: 0 });
    // /metrics counts both attempts, the failure by its catalogue name.
    const scrape = await fetch(`${server.baseUrl}/metrics`, { headers: { cookie: supervisor } });
    const samples = parsePrometheusText(await scrape.text());
    const counted = (outcome: string, error_name: string) =>
      sampleValue(samples, 'flashstation_attempts_total', {
        station: STATION,
        outcome,
        error_name,
      });
    expect(counted('failed', 'S_FT_CHANGE_BAUDRATE_FAIL')).toBe(1);
    expect(counted('passed', 'none')).toBe(1);

    // The line shows the retry's pass, linked to the failure it retried.
    const slot = (await lineOf()).find((s) => s.slot === NOISY)!;
    expect(slot).toMatchObject({ status: 'active', statusReason: null, current: null });
    expect(slot.last).toEqual(second);
    // The module's history lists both, the retry linked.
    const history = await request('GET', `/api/modules/${imei}`, supervisor);
    expect(history.body).toMatchObject({
      status: 'passed',
      attempts: [
        { id: retryId, retryOfId: attemptId, baud: 460800 },
        { id: attemptId, retryOfId: null, baud: 921600 },
      ],
      decisions: [],
    });
    // The history carries no protocol traces (heavy); the attempt page does.
    const attempts = (history.body as { attempts: object[] }).attempts;
    for (const attempt of attempts) expect(attempt).not.toHaveProperty('trace');

    // The failed attempt's trace ends with the step that failed, decoded as the page shows it.
    const failedPage = AttemptDetail.parse(
      (await request('GET', `/api/attempts/${attemptId}`, supervisor)).body,
    );
    const entries = failedPage.trace?.entries ?? [];
    expect(entries.at(-1)).toMatchObject({ stage: 'baud', cmd: 'BAUD', ok: false });
    expect(describeTraceEntry(entries.at(-1)!)).toMatch(/^BAUD baud 921600 → .* ✗$/);
    expect(entries.filter((e) => !e.ok)).toHaveLength(1);
    expect(entries.map(describeTraceEntry)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^SEND_DA 0x70007000 len \d+ → checksum /)]),
    );
    // A passed attempt carries none unless the station is told to (TRACE_PASSED).
    const passedPage = AttemptDetail.parse(
      (await request('GET', `/api/attempts/${retryId}`, supervisor)).body,
    );
    expect(passedPage).toMatchObject({ id: retryId, outcome: 'passed', trace: null });
  });
});

describe('supervisors and the line’s judgement', { timeout: 120_000 }, () => {
  const slotPath = (slot: number, verb: string) => `/api/stations/${STATION}/slots/${slot}/${verb}`;

  it('show a suspect slot on the line, and release it: active, audited, the decision closed, watchers told', async () => {
    const row = await server.db.prisma.slot.findFirstOrThrow({
      where: { station: { code: STATION }, index: HEALTHY - 1 },
    });
    const reason = '3 different modules failed here (constructed for this test).';
    const decision = await server.db.prisma.attributionDecision.create({
      data: { kind: 'slot.suspect', slotId: row.id, reason, evidence: [] },
    });
    await server.db.prisma.slot.update({
      where: { id: row.id },
      data: { status: 'suspect', statusReason: reason },
    });
    expect((await lineOf()).find((s) => s.slot === HEALTHY)).toMatchObject({
      status: 'suspect',
      statusReason: reason,
    });

    // An operator of another station may not watch this one, so never hears its slot:status.
    await stationRepository.upsert(server.db.prisma, {
      code: OTHER,
      name: 'Another jig',
      slots: [{ index: 0, label: 'S1', powerControl: 'emulator' }],
    });
    const elsewhere = await server.signIn({ badge: TEST_DEMO_BADGE, stationId: OTHER });
    const outsider: typeof socket = connect(server.baseUrl, {
      transports: ['websocket'],
      extraHeaders: { cookie: elsewhere },
    });
    const overheard: SlotStatusEvent[] = [];
    outsider.on('slot:status', (event) => overheard.push(event));
    await waitFor('outsider connection', () => outsider.connected);
    expect(await outsider.emitWithAck('station:watch', { v: 1, stationId: STATION })).toEqual({
      v: 1,
      ok: false,
      error: 'Your role operator may not watch another station',
    });

    const operator = await server.signIn({ badge: TEST_DEMO_BADGE, stationId: STATION });
    const refused = await request('POST', slotPath(HEALTHY, 'release'), operator, {
      reason: 'looks fine',
    });
    expect(refused).toEqual({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: 'Your role operator may not release slots' } },
    });
    const noReason = await request('POST', slotPath(HEALTHY, 'release'), supervisor, {});
    expect(noReason.status).toBe(400);
    expect(errorOf(noReason).message).toMatch(/reason/);

    const released = await request('POST', slotPath(HEALTHY, 'release'), supervisor, {
      reason: 'replaced the adapter',
    });
    expect(released).toEqual({
      status: 200,
      body: { v: 1, stationId: STATION, slot: HEALTHY, status: 'active', statusReason: null },
    });
    await waitFor('slot:status to the watchers', () =>
      slotEvents.find((e) => e.slot === HEALTHY && e.status === 'active'),
    );
    // The watcher heard it; the outsider, connected all along, did not.
    expect(overheard).toEqual([]);
    outsider.disconnect();
    expect((await lineOf()).find((s) => s.slot === HEALTHY)?.status).toBe('active');
    expect(
      await server.db.prisma.attributionDecision.findUniqueOrThrow({ where: { id: decision.id } }),
    ).toMatchObject({
      releasedBy: expect.stringMatching(/^user:/),
      releaseReason: 'replaced the adapter',
    });
    const audit = await server.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'slot.release', entityId: `${STATION}/${HEALTHY}` },
    });
    expect(audit.details).toMatchObject({
      before: { status: 'suspect' },
      after: { status: 'active' },
      reason: 'replaced the adapter',
      decision: decision.id,
    });

    const again = await request('POST', slotPath(HEALTHY, 'release'), supervisor, {
      reason: 'again',
    });
    expect(again).toEqual({
      status: 409,
      body: {
        error: {
          code: 'SLOT_ACTIVE',
          message: `Slot ${HEALTHY} of station ${STATION} is already active: there is nothing to release`,
        },
      },
    });
  });

  it('disable a slot with a reason, shown on the line, and put it back', async () => {
    const disabled = await request('POST', slotPath(HEALTHY, 'disable'), supervisor, {
      reason: 'cable worn through',
    });
    expect(disabled.body).toMatchObject({ status: 'disabled', statusReason: 'cable worn through' });
    expect((await lineOf()).find((s) => s.slot === HEALTHY)).toMatchObject({
      status: 'disabled',
      statusReason: 'cable worn through',
    });
    const twice = await request('POST', slotPath(HEALTHY, 'disable'), supervisor, {
      reason: 'still worn',
    });
    expect(twice.status).toBe(409);
    expect(errorOf(twice).message).toBe(
      `Slot ${HEALTHY} of station ${STATION} is already disabled (cable worn through)`,
    );
    const back = await request('POST', slotPath(HEALTHY, 'release'), supervisor, {
      reason: 'new cable',
    });
    expect(back.body).toMatchObject({ status: 'active' });
    const missing = await request('POST', slotPath(9, 'disable'), supervisor, {
      reason: 'x'.repeat(3),
    });
    expect(missing).toEqual({
      status: 404,
      body: {
        error: { code: 'NOT_FOUND', message: `Station ${STATION} has no slot 9 (slots: 1, 2)` },
      },
    });
  });

  it('release a quarantined module: failed again, the decision in its history with who released it', async () => {
    const imei = labelImei(7);
    const module = await server.db.prisma.module.create({
      data: { imei, status: 'quarantined', statusReason: 'Failed on 2 healthy slots (test).' },
    });
    await server.db.prisma.attributionDecision.create({
      data: {
        kind: 'module.quarantined',
        moduleId: module.id,
        reason: 'Failed on 2 healthy slots (test).',
        evidence: [],
      },
    });
    const released = await request('POST', `/api/modules/${imei}/release`, supervisor, {
      reason: 'PSRAM reworked',
    });
    expect(released).toEqual({ status: 200, body: { imei, status: 'failed', statusReason: null } });
    const history = await request('GET', `/api/modules/${imei}`, supervisor);
    expect(history.body).toMatchObject({
      status: 'failed',
      decisions: [
        {
          kind: 'module.quarantined',
          subject: imei,
          reason: 'Failed on 2 healthy slots (test).',
          releasedBy: expect.stringMatching(/^user:/),
          releaseReason: 'PSRAM reworked',
        },
      ],
    });
    const again = await request('POST', `/api/modules/${imei}/release`, supervisor, {
      reason: 'again',
    });
    expect(again.status).toBe(409);
    expect(errorOf(again)).toEqual({
      code: 'MODULE_NOT_QUARANTINED',
      message: `Module ${imei} is failed, not quarantined: there is nothing to release`,
    });
    expect(
      await server.db.prisma.auditEvent.count({
        where: { action: 'module.release', entityId: imei },
      }),
    ).toBe(1);
  });

  it('show every slot offline once the station is gone', async () => {
    await agent!.dispose();
    agent = undefined;
    const line = await waitFor(
      'the slots offline',
      async () => {
        const slots = await lineOf();
        return slots.every((s) => s.status === 'offline') && slots;
      },
      { timeoutMs: 60_000 },
    );
    expect(line.map((s) => [s.slot, s.status, s.statusReason])).toEqual([
      [1, 'offline', `station ${STATION} is not connected (no heartbeat)`],
      [2, 'offline', `station ${STATION} is not connected (no heartbeat)`],
    ]);
  });
});
