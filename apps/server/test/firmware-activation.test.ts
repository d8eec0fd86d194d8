// Activating firmware through the real server runtime, Postgres, Redis and a station agent (an
// emulated 2-slot jig holding the demo package): only uploaded packages may be activated, each
// activation is kept and audited with the scope's package before and after, the registry says
// where each package is active, and a scan that names no package flashes the activated one: the
// job on the station's queue carries its digest, and the station, which does not hold it, fetches
// it from the registry with its signed requests, checks it and flashes it (the module reports the
// new revision); a package whose stored file was altered is refused. Nothing is mocked.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ActivateFirmwareResponse,
  AuditEventsResponse,
  CreateFlashJobResponse,
  FirmwarePackageListResponse,
  FirmwarePackageResponse,
  flashQueueName,
  type ErrorResponse,
  type FlashRunPayload,
} from '@station/contracts';
import { labelImei, packageArchive, waitFor, type StationApp } from '@station/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postFlashJob,
  startStationFor,
  startTestServer,
  syntheticPackageFiles,
  uploadFirmware,
  type TestServer,
} from './helpers';

const STATION = 'firmware-act';
const NO_PACKAGE = '00000000-0000-4000-8000-000000000000';

let server: TestServer;
let agent: StationApp;
let engineer: string;
let first: FirmwarePackageResponse;
let second: FirmwarePackageResponse;

async function uploaded(revision: string): Promise<FirmwarePackageResponse> {
  const archive = await packageArchive(syntheticPackageFiles(revision), 'zip');
  const { status, body } = await uploadFirmware(server, engineer, archive);
  expect(status, JSON.stringify(body)).toBe(201);
  return FirmwarePackageResponse.parse(body);
}

beforeAll(async () => {
  server = await startTestServer();
  agent = await startStationFor(server, STATION);
  engineer = await server.signIn('engineer');
  first = await uploaded('MC60ACTIVE01');
  second = await uploaded('MC60ACTIVE02');
}, 90_000);

afterAll(async () => {
  await agent?.dispose();
  await server?.close();
}, 60_000);

async function activate(id: string, body: unknown = {}) {
  const response = await fetch(`${server.baseUrl}/api/firmware-packages/${id}/activate`, {
    method: 'POST',
    headers: { cookie: engineer, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const packages = async () =>
  FirmwarePackageListResponse.parse(
    await (
      await fetch(`${server.baseUrl}/api/firmware-packages`, { headers: { cookie: engineer } })
    ).json(),
  ).packages;

describe('activation', { timeout: 60_000 }, () => {
  it('is refused for a package the server holds no files of, an unknown one or station', async () => {
    const announced = (await packages()).find((p) => !p.stored);
    expect(announced?.name).toBe('demo-MC60CAR01A13');
    const notStored = await activate(announced!.id);
    expect(notStored.status).toBe(409);
    expect((notStored.body as ErrorResponse).error).toMatchObject({
      code: 'PACKAGE_NOT_STORED',
      message: expect.stringContaining('was only announced by a station'),
    });
    expect((await activate(NO_PACKAGE)).status).toBe(404);
    const noStation = await activate(first.id, { stationId: 'no-such-station' });
    expect(noStation).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Station no-such-station is not known' } },
    });
    expect(await server.db.prisma.firmwareActivation.count()).toBe(0);
  });

  it('is kept per scope, audited before and after, and shown where the package is active', async () => {
    const line = await activate(first.id);
    expect(line.status).toBe(200);
    expect(ActivateFirmwareResponse.parse(line.body)).toMatchObject({
      packageId: first.id,
      stationId: null,
      previousPackageId: null,
    });
    expect((await activate(second.id, { stationId: STATION })).body).toMatchObject({
      stationId: STATION,
      previousPackageId: null,
    });
    expect((await activate(first.id, { stationId: STATION })).body).toMatchObject({
      previousPackageId: second.id,
    });

    const listed = await packages();
    const activeOn = (id: string) =>
      listed.find((p) => p.id === id)!.activeOn.map((a) => a.stationId);
    expect(activeOn(first.id)).toEqual([null, STATION]);
    expect(activeOn(second.id)).toEqual([]);

    const engineerId = (
      await server.db.prisma.user.findUniqueOrThrow({ where: { username: 'engineer' } })
    ).id;
    const history = await server.db.prisma.firmwareActivation.findMany({ orderBy: { id: 'asc' } });
    expect(history.map((a) => [a.packageId, a.activatedByLabel])).toEqual([
      [first.id, `user:${engineerId}`],
      [second.id, `user:${engineerId}`],
      [first.id, `user:${engineerId}`],
    ]);

    const response = await fetch(
      `${server.baseUrl}/api/audit-events?action=firmware.activate&limit=10`,
      { headers: { cookie: engineer } },
    );
    const events = AuditEventsResponse.parse(await response.json()).events;
    const brief = (p: FirmwarePackageResponse) => ({
      packageId: p.id,
      digest: p.digest,
      revision: p.revision,
    });
    // Newest first.
    expect(events.map((e) => [e.entityType, e.entityId, e.actorId, e.details])).toEqual([
      ['station', STATION, engineerId, { before: brief(second), after: brief(first) }],
      ['station', STATION, engineerId, { after: brief(second) }],
      ['line', null, engineerId, { after: brief(first) }],
    ]);
  });

  it('refuses to flash a registry package whose stored file no longer matches its sha256', async () => {
    const tampered = await uploaded('MC60TAMPER01');
    const rom = tampered.files.find((f) => f.kind === 'rom')!;
    const blob = join(server.env.FIRMWARE_STORE_DIR, 'sha256', rom.sha256);
    const bytes = await readFile(blob);
    bytes.writeUInt8(bytes.at(-1)! ^ 0xff, bytes.length - 1);
    await writeFile(blob, bytes);
    const supervisor = await server.signIn('supervisor');
    await activate(tampered.id, { stationId: STATION });
    const scan = await postFlashJob(server, supervisor, {
      stationId: STATION,
      slot: 2,
      imei: labelImei(3),
    });
    expect(scan.status, JSON.stringify(scan.body)).toBe(202);
    const { attemptId } = CreateFlashJobResponse.parse(scan.body);
    const settled = await waitFor('the attempt refused', async () => {
      const row = await server.db.prisma.flashAttempt.findUniqueOrThrow({
        where: { id: attemptId },
      });
      return row.endedAt && row;
    });
    expect(settled).toMatchObject({
      outcome: 'failed',
      errorName: 'FS_PACKAGE_FETCH_FAIL',
      stageReached: 'package',
    });
    expect(settled.errorMessage).toMatch(/arrived with sha256/);
    // Nothing of it was kept on the station.
    expect(agent.current.output()).not.toContain(`sha256-${tampered.digest}`);
  });

  it('makes a scan that names no package flash the activated one', async () => {
    await activate(second.id, { stationId: STATION });
    const supervisor = await server.signIn('supervisor');
    const scan = await postFlashJob(server, supervisor, {
      stationId: STATION,
      slot: 1,
      imei: labelImei(1),
    });
    expect(scan.status, JSON.stringify(scan.body)).toBe(202);
    const job = CreateFlashJobResponse.parse(scan.body);
    expect(job.packageId).toBe(second.name);

    const attempt = await server.db.prisma.flashAttempt.findUniqueOrThrow({
      where: { id: job.attemptId },
    });
    expect(attempt.packageId).toBe(second.id);
    const connection = new Redis(server.env.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(flashQueueName(STATION), {
      connection,
      prefix: server.env.REDIS_PREFIX,
    });
    try {
      const queued = await queue.getJob(job.attemptId);
      // The job is signed: its payload is the text inside (contracts FlashRunJob).
      const payload = JSON.parse((queued?.data as { m: string }).m) as FlashRunPayload;
      expect(payload).toMatchObject({ packageSha256: second.digest, registryPackageId: second.id });
    } finally {
      await queue.close();
      await connection.quit();
    }

    // The station did not hold it: fetched from the registry, checked, flashed.
    const settled = await waitFor(
      'the activated package flashed',
      async () => {
        const row = await server.db.prisma.flashAttempt.findUniqueOrThrow({
          where: { id: job.attemptId },
        });
        return row.endedAt && row;
      },
      { timeoutMs: 60_000 },
    );
    expect(settled).toMatchObject({ outcome: 'passed', revisionAfter: 'MC60ACTIVE02' });
    expect(agent.current.output()).toContain('firmware package fetched from the registry');

    // A scan that names the station's own package still gets it.
    const named = await postFlashJob(server, supervisor, {
      stationId: STATION,
      slot: 2,
      imei: labelImei(2),
      packageId: 'demo-MC60CAR01A13',
    });
    expect(named.status, JSON.stringify(named.body)).toBe(202);
    expect(CreateFlashJobResponse.parse(named.body).packageId).toBe('demo-MC60CAR01A13');
  });
});
