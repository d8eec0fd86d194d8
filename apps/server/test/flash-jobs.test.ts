// A scan flashes a module end to end. Real: Postgres (own database), Redis (own key prefix), the
// server runtime, socket.io over a websocket, and the station agent as a child process driving an
// emulated 2-slot jig with the demo package in a temp FIRMWARE_DIR. Nothing is mocked.
import {
  StationDetail,
  type ClientToServerEvents,
  type CreateFlashJobResponse,
  type ErrorResponse,
  type FlashProgressEvent,
  type FlashResultEvent,
  type ServerToClientEvents,
} from '@station/contracts';
import type { FlashAttempt } from '@station/db';
import {
  labelImei,
  testImei,
  uniqueImei,
  waitFor,
  withWrongCheckDigit,
  type StationApp,
} from '@station/testkit';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFlashJob, startStationFor, startTestServer, type TestServer } from './helpers';

const STATION = 'flash-e2e';
const OTHER_IMEI = testImei(777_777);

let server: TestServer;
let agent: StationApp;
/** A supervisor's session: scans, station state and module history on any station. */
let cookie: string;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const progress: FlashProgressEvent[] = [];
/** Each result with the attempt row as Postgres had it when the event arrived. */
const results: { event: FlashResultEvent; stored: FlashAttempt | null }[] = [];

const post = (body: unknown) => postFlashJob(server, cookie, body);
const get = (path: string, as = cookie) =>
  fetch(`${server.baseUrl}${path}`, { headers: { cookie: as } });

const resultFor = (attemptId: string) =>
  waitFor(
    `flash:result of ${attemptId}`,
    () => results.find((r) => r.event.attemptId === attemptId),
    {
      timeoutMs: 60_000,
    },
  );

const stationDetail = async () =>
  StationDetail.parse(await (await get(`/api/stations/${STATION}`)).json());

beforeAll(async () => {
  server = await startTestServer();
  agent = await startStationFor(server, STATION);
  expect(server.runtime.registry.get(STATION)?.packages).toHaveLength(1);
  cookie = await server.signIn('supervisor');
  socket = connect(server.baseUrl, { transports: ['websocket'], extraHeaders: { cookie } });
  socket.on('flash:progress', (batch) => {
    // One event per station batch, every item this station's.
    expect(batch.events.every((event) => event.stationId === batch.stationId)).toBe(true);
    progress.push(...batch.events);
  });
  socket.on('flash:result', (event) => {
    // Read the row the moment the event arrives: PASS must never be shown before it is stored.
    void server.db.prisma.flashAttempt
      .findUnique({ where: { id: event.attemptId } })
      .then((stored) => results.push({ event, stored }));
  });
  await waitFor('socket connection', () => socket.connected);
  // A dashboard follows a station by watching it: its flash events come to that room.
  const watched = await socket.emitWithAck('station:watch', { v: 1, stationId: STATION });
  expect(watched.ok).toBe(true);
}, 60_000);

afterAll(async () => {
  socket?.disconnect();
  await agent?.dispose();
  await server?.close();
}, 60_000);

describe('POST /api/flash-jobs', { timeout: 90_000 }, () => {
  it('records the announced package in Postgres with its digest', async () => {
    const announced = server.runtime.registry.get(STATION)!.packages![0]!;
    const row = await server.db.prisma.firmwarePackage.findUniqueOrThrow({
      where: { digest: announced.digest },
    });
    expect(row).toMatchObject({
      name: 'demo-MC60CAR01A13',
      revision: 'MC60CAR01A13',
      platform: announced.platform,
    });
    // The flash parts the package's cfg allows, as the station read them from it.
    expect(announced.allowedFlashIds?.length).toBeGreaterThan(0);
    expect(row.allowedFlashIds).toEqual(announced.allowedFlashIds);
  });

  it('documents the new endpoints in OpenAPI', async () => {
    const response = await get('/docs/json', await server.signIn('engineer'));
    expect(response.status).toBe(200);
    const spec = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(spec.paths['/api/flash-jobs'] ?? {})).toEqual(['post']);
    expect(Object.keys(spec.paths['/api/modules/{imei}'] ?? {})).toEqual(['get']);
  });

  it('flashes slot 1: 202, progress, then a PASS that is already stored; another label there is SLOT_BUSY', async () => {
    const imei = labelImei(1);
    const created = await post({ stationId: STATION, slot: 1, imei });
    expect(created.status).toBe(202);
    const { attemptId, packageId } = created.body as CreateFlashJobResponse;
    expect(packageId).toBe('demo-MC60CAR01A13');

    const busy = await post({ stationId: STATION, slot: 1, imei: uniqueImei() });
    expect(busy.status).toBe(409);
    expect((busy.body as ErrorResponse).error.code).toBe('SLOT_BUSY');
    // The same label again is a double scan (scan-interlocks.test.ts), refused as well.
    const twice = await post({ stationId: STATION, slot: 1, imei });
    expect((twice.body as ErrorResponse).error.code).toBe('DOUBLE_SCAN');

    // Any screen asking now sees the flash running in slot 1, whoever started it.
    const running = await waitFor('slot 1 running past the queue', async () => {
      const slot = (await stationDetail()).line.find((s) => s.slot === 1)!;
      return slot.current?.stage !== 'queued' && slot.current;
    });
    expect(running).toMatchObject({ attemptId, imei });

    const { event, stored } = await resultFor(attemptId);
    expect(event).toMatchObject({
      v: 1,
      stationId: STATION,
      slot: 1,
      imei,
      outcome: 'passed',
      errorCode: null,
      operatorHint: null,
      revisionAfter: 'MC60CAR01A13',
    });
    expect(stored).toMatchObject({
      outcome: 'passed',
      jobId: attemptId,
      revisionAfter: 'MC60CAR01A13',
      stageReached: 'postflight',
      baud: 921600,
    });
    expect(stored!.endedAt).not.toBeNull();
    expect(Object.keys(stored!.stageTimings as object)).toEqual(
      expect.arrayContaining(['preflight', 'write', 'verify', 'postflight']),
    );
    expect(Number(stored!.bytesWritten)).toBeGreaterThan(0);

    const mine = progress.filter((p) => p.attemptId === attemptId);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((p) => p.slot === 1 && p.imei === imei)).toBe(true);
    expect(mine.map((p) => p.stage)).toContain('write');

    // After the result: no current attempt, and the last result as flash:result said it.
    const slot1 = (await stationDetail()).line.find((s) => s.slot === 1)!;
    expect(slot1.current).toBeNull();
    expect(slot1.last).toEqual(event);

    const history = await get(`/api/modules/${imei}`);
    expect(history.status).toBe(200);
    const module = (await history.json()) as {
      status: string;
      currentRevision: string;
      attempts: { id: string; outcome: string; stationId: string; slot: number }[];
    };
    expect(module).toMatchObject({ status: 'passed', currentRevision: 'MC60CAR01A13' });
    expect(module.attempts).toEqual([
      expect.objectContaining({ id: attemptId, outcome: 'passed', stationId: STATION, slot: 1 }),
    ]);
  });

  it('a label scanned into the wrong slot: IMEI_MISMATCH, the reported IMEI stored, the label module untouched', async () => {
    // The label's module has a record already: it passed elsewhere, on a known revision.
    await server.db.prisma.module.create({
      data: { imei: OTHER_IMEI, status: 'passed', currentRevision: 'MC60CAR01A13' },
    });
    const created = await post({ stationId: STATION, slot: 2, imei: OTHER_IMEI });
    expect(created.status).toBe(202);
    const { attemptId } = created.body as CreateFlashJobResponse;
    const { event, stored } = await resultFor(attemptId);
    expect(event).toMatchObject({
      outcome: 'failed',
      errorName: 'FS_IMEI_MISMATCH',
      slot: 2,
      imei: OTHER_IMEI,
      reportedImei: labelImei(2),
    });
    expect(event.operatorHint).toEqual(expect.stringMatching(/\S/));
    expect(stored).toMatchObject({ outcome: 'failed', errorName: 'FS_IMEI_MISMATCH' });
    // The stored message names both: what the module said and what the label said.
    expect(stored!.errorMessage).toContain(labelImei(2));
    expect(stored!.errorMessage).toContain(OTHER_IMEI);
    expect(stored!.reportedImei).toBe(labelImei(2));
    // That module was never touched: its record is exactly as before.
    const module = await server.db.prisma.module.findUniqueOrThrow({ where: { imei: OTHER_IMEI } });
    expect(module).toMatchObject({ status: 'passed', currentRevision: 'MC60CAR01A13' });
    // Nor is the module really in the slot: no attempt talked to it under its own label.
    expect(await server.db.prisma.module.findUnique({ where: { imei: labelImei(2) } })).toBeNull();
  });

  it('refuses bad input with the error envelope', async () => {
    const badImei = withWrongCheckDigit(labelImei(1));
    const invalid = await post({ stationId: STATION, slot: 1, imei: badImei });
    expect(invalid.status).toBe(400);
    expect((invalid.body as ErrorResponse).error.message).toMatch(/check digit/);

    const unknown = await post({ stationId: 'no-such-station', slot: 1, imei: labelImei(1) });
    expect(unknown.status).toBe(404);
    expect((unknown.body as ErrorResponse).error.message).toBe(
      'Station no-such-station is not known',
    );

    const noSlot = await post({ stationId: STATION, slot: 9, imei: labelImei(1) });
    expect(noSlot.status).toBe(404);
    expect((noSlot.body as ErrorResponse).error.message).toMatch(/has no slot 9/);

    const noPackage = await post({
      stationId: STATION,
      slot: 1,
      imei: labelImei(1),
      packageId: 'other-pkg',
    });
    expect(noPackage.status).toBe(404);
    expect((noPackage.body as ErrorResponse).error.message).toMatch(/does not hold package/);

    const missing = await get(`/api/modules/${labelImei(7)}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorResponse).error.code).toBe('NOT_FOUND');
  });

  it('50 concurrent first-sight scans: no 5xx, one open attempt per slot and per IMEI, refusals write nothing', async () => {
    const imeis = Array.from({ length: 5 }, () => uniqueImei());
    // Both slots are scanned 25 times with the same five new labels, all at once.
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post({ stationId: STATION, slot: (i % 2) + 1, imei: imeis[i % 5] }),
      ),
    );
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status !== 202);
    expect(accepted.length).toBeGreaterThanOrEqual(2);
    expect(new Set(refused.map((a) => a.status))).toEqual(new Set([409]));
    // A label already taken within the double-scan window is DOUBLE_SCAN, whatever the slot.
    for (const a of refused)
      expect(['SLOT_BUSY', 'MODULE_BUSY', 'DOUBLE_SCAN']).toContain(
        (a.body as ErrorResponse).error.code,
      );
    for (const a of accepted) await resultFor((a.body as CreateFlashJobResponse).attemptId);
    // A wrong label fails fast, so a slot may take several of the 50 in turn: never two at once.
    const attempts = await server.db.prisma.flashAttempt.findMany({
      where: { module: { imei: { in: imeis } } },
      select: { slotId: true, moduleId: true, startedAt: true, endedAt: true },
    });
    expect(attempts).toHaveLength(accepted.length);
    const overlapping = attempts.filter((a, i) =>
      attempts.some(
        (b, j) =>
          i !== j &&
          (a.slotId === b.slotId || a.moduleId === b.moduleId) &&
          a.startedAt <= b.startedAt &&
          b.startedAt < a.endedAt!,
      ),
    );
    expect(overlapping).toEqual([]);
    // Only the accepted scans created a module; the refused ones left no trace.
    const acceptedImeis = accepted.map((a) => (a.body as CreateFlashJobResponse).imei);
    expect(
      (await server.db.prisma.module.findMany({ where: { imei: { in: imeis } } }))
        .map((m) => m.imei)
        .sort(),
    ).toEqual([...new Set(acceptedImeis)].sort());
    // Those labels are not the modules in the slots: each ends FS_IMEI_MISMATCH, records untouched.
    for (const a of accepted) {
      const { event } = await resultFor((a.body as CreateFlashJobResponse).attemptId);
      expect(event.errorName).toBe('FS_IMEI_MISMATCH');
    }
    const modules = await server.db.prisma.module.findMany({ where: { imei: { in: imeis } } });
    expect(modules.map((m) => m.status)).toEqual(modules.map(() => 'new'));
  });

  it('refuses a quarantined module (MODULE_BLOCKED) and a station that left (STATION_OFFLINE)', async () => {
    const imei = labelImei(2);
    await server.db.prisma.module.create({
      data: { imei, status: 'quarantined', statusReason: 'failed on two healthy slots' },
    });
    const blocked = await post({ stationId: STATION, slot: 2, imei });
    expect(blocked.status).toBe(409);
    expect((blocked.body as ErrorResponse).error).toEqual({
      code: 'MODULE_BLOCKED',
      message: `Module ${imei} is quarantined (failed on two healthy slots): it may not be flashed until a supervisor releases it`,
    });
    expect(await server.db.prisma.flashAttempt.count({ where: { module: { imei } } })).toBe(0);

    await agent.stop();
    await waitFor('station gone', () => !server.runtime.registry.get(STATION)?.connected);
    const offline = await post({ stationId: STATION, slot: 1, imei: labelImei(1) });
    expect(offline.status).toBe(409);
    expect((offline.body as ErrorResponse).error).toEqual({
      code: 'STATION_OFFLINE',
      message: `Station ${STATION} is not connected`,
    });
  });
});
