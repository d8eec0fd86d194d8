// A scan flashes a module end to end. Real: Postgres (own database), Redis (own key prefix), the
// server runtime, socket.io over a websocket, and the station agent as a child process driving an
// emulated 2-slot jig with the demo package in a temp FIRMWARE_DIR. Nothing is mocked.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  imeiCheckDigit,
  type ClientToServerEvents,
  type CreateFlashJobResponse,
  type ErrorResponse,
  type FlashProgressEvent,
  type FlashResultEvent,
  type ServerToClientEvents,
} from '@station/contracts';
import type { FlashAttempt } from '@station/db';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  spawnAgent,
  startTestServer,
  waitFor,
  type AgentProcess,
  type TestServer,
} from './helpers';

const STATION = 'flash-e2e';
/** The emulated jig's label IMEI for a slot (packages/emulator syntheticImei(100000 + slot)). */
const labelImei = (slot: number) => {
  const body = `86135903${String(100_000 + slot).padStart(6, '0')}`;
  return body + imeiCheckDigit(body);
};
const OTHER_IMEI = (() => {
  const body = '86135903777777';
  return body + imeiCheckDigit(body);
})();

let server: TestServer;
let agent: AgentProcess;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
let root: string;
const progress: FlashProgressEvent[] = [];
/** Each result with the attempt row as Postgres had it when the event arrived. */
const results: { event: FlashResultEvent; stored: FlashAttempt | null }[] = [];

const post = async (body: unknown) => {
  const response = await fetch(`${server.baseUrl}/api/flash-jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

const resultFor = (attemptId: string) =>
  waitFor(
    `flash:result of ${attemptId}`,
    () => results.find((r) => r.event.attemptId === attemptId),
    60_000,
  );

beforeAll(async () => {
  server = await startTestServer();
  root = await mkdtemp(join(tmpdir(), 'flash-jobs-test-'));
  socket = connect(server.baseUrl, { transports: ['websocket'] });
  socket.on('flash:progress', (event) => progress.push(event));
  socket.on('flash:result', (event) => {
    // Read the row the moment the event arrives: PASS must never be shown before it is stored.
    void server.db.prisma.flashAttempt
      .findUnique({ where: { id: event.attemptId } })
      .then((stored) => results.push({ event, stored }));
  });
  await waitFor('socket connection', () => socket.connected);
  agent = spawnAgent({
    STATION_ID: STATION,
    REDIS_PREFIX: server.env.REDIS_PREFIX,
    EMULATOR: 'true',
    EMULATOR_SLOTS: '2',
    JIG_DIR: join(root, 'jig'),
    FIRMWARE_DIR: join(root, 'firmware'),
  });
  await waitFor('station registered with its package and stored', async () => {
    const station = server.runtime.registry.get(STATION);
    const row = await server.db.prisma.station.findUnique({ where: { code: STATION } });
    return station?.connected && station.packages?.length === 1 && row;
  });
}, 60_000);

afterAll(async () => {
  socket?.disconnect();
  if (agent && agent.child.exitCode === null && agent.child.signalCode === null) {
    agent.child.kill('SIGTERM');
    await agent.exited;
  }
  agent?.killGroup();
  await rm(root, { recursive: true, force: true });
  await server?.close();
}, 60_000);

describe('POST /api/flash-jobs', { timeout: 90_000 }, () => {
  it('records the announced package in Postgres with its digest', async () => {
    const announced = server.runtime.registry.get(STATION)!.packages![0]!;
    const row = await server.db.prisma.firmwarePackage.findUniqueOrThrow({
      where: { name_revision: { name: 'demo-MC60CAR01A13', revision: 'MC60CAR01A13' } },
      include: { files: true },
    });
    expect(row.platform).toBe(announced.platform);
    expect(row.files.map((f) => f.sha256)).toEqual([announced.digest]);
  });

  it('documents the new endpoints in OpenAPI', async () => {
    const response = await fetch(`${server.baseUrl}/docs/json`);
    expect(response.status).toBe(200);
    const spec = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(spec.paths['/api/flash-jobs'] ?? {})).toEqual(['post']);
    expect(Object.keys(spec.paths['/api/modules/{imei}'] ?? {})).toEqual(['get']);
  });

  it('flashes slot 1: 202, progress, then a PASS that is already stored; a second scan is SLOT_BUSY', async () => {
    const imei = labelImei(1);
    const created = await post({ stationId: STATION, slot: 1, imei });
    expect(created.status).toBe(202);
    const { attemptId, packageId } = created.body as CreateFlashJobResponse;
    expect(packageId).toBe('demo-MC60CAR01A13');

    const busy = await post({ stationId: STATION, slot: 1, imei });
    expect(busy.status).toBe(409);
    expect((busy.body as ErrorResponse).error.code).toBe('SLOT_BUSY');

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

    const history = await fetch(`${server.baseUrl}/api/modules/${imei}`);
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

  it('stores and emits IMEI_MISMATCH with an operator hint when the scan is another module', async () => {
    const created = await post({ stationId: STATION, slot: 2, imei: OTHER_IMEI });
    expect(created.status).toBe(202);
    const { attemptId } = created.body as CreateFlashJobResponse;
    const { event, stored } = await resultFor(attemptId);
    expect(event).toMatchObject({ outcome: 'failed', errorName: 'FS_IMEI_MISMATCH', slot: 2 });
    expect(event.operatorHint).toEqual(expect.stringMatching(/\S/));
    expect(stored).toMatchObject({ outcome: 'failed', errorName: 'FS_IMEI_MISMATCH' });
    // The stored message names both: what the module said and what the label said.
    expect(stored!.errorMessage).toContain(labelImei(2));
    expect(stored!.errorMessage).toContain(OTHER_IMEI);
    const module = await server.db.prisma.module.findUniqueOrThrow({ where: { imei: OTHER_IMEI } });
    expect(module.status).toBe('failed');
  });

  it('refuses bad input with the error envelope', async () => {
    const badImei = labelImei(1).slice(0, 14) + ((Number(labelImei(1)[14]) + 1) % 10);
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

    const missing = await fetch(`${server.baseUrl}/api/modules/${labelImei(7)}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorResponse).error.code).toBe('NOT_FOUND');
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
      message: `Module ${imei} is quarantined (failed on two healthy slots): it may not be flashed`,
    });
    expect(await server.db.prisma.flashAttempt.count({ where: { module: { imei } } })).toBe(0);

    agent.child.kill('SIGTERM');
    await agent.exited;
    await waitFor('station gone', () => !server.runtime.registry.get(STATION)?.connected);
    const offline = await post({ stationId: STATION, slot: 1, imei: labelImei(1) });
    expect(offline.status).toBe(409);
    expect((offline.body as ErrorResponse).error).toEqual({
      code: 'STATION_OFFLINE',
      message: `Station ${STATION} is not connected`,
    });
  });
});
