// Many stations (issue #9 §7): two real station agents, each with its own emulated jig, share one
// server, Postgres and Redis. Each flashes its own slots (the other's modules never see its
// jobs); then one is SIGKILLed mid-flash: its slots go offline, its open attempt is settled as
// interrupted once its heartbeat is lost plus the grace, and the other keeps flashing. Station B
// runs from a scenario file (EMULATOR_SCENARIO) and both jigs take modules through their control
// sockets while the stations run, as an operator seats them.
import { writeFile } from 'node:fs/promises';
import {
  HealthResponse,
  StationDetail,
  type ClientToServerEvents,
  type CreateFlashJobResponse,
  type FlashResultEvent,
  type ServerToClientEvents,
} from '@station/contracts';
import { connectJigControl, type JigControlClient } from '@station/emulator';
import {
  labelImei,
  tempDir,
  testImei,
  uniqueImei,
  waitFor,
  type StationApp,
  type TempDir,
} from '@station/testkit';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFlashJob, startStationFor, startTestServer, type TestServer } from './helpers';

const A = 'two-a';
const B = 'two-b';
/** The demo package every emulated station announces. */
const DEMO_REVISION = 'MC60CAR01A13';
/** Station B's scenario: its own labels, an old firmware, a dead-PSRAM module, an empty slot. */
const B_OLD_REVISION = 'MC60CAR01A07';
const B_IMEI = [testImei(778_001), testImei(778_002)];

let server: TestServer;
let dir: TempDir;
let agentA: StationApp;
let agentB: StationApp;
let jigA: JigControlClient;
let jigB: JigControlClient;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
let cookie: string;
const results: FlashResultEvent[] = [];
const attempts: string[] = [];

async function scan(stationId: string, slot: number, imei: string): Promise<string> {
  const answer = await postFlashJob(server, cookie, { stationId, slot, imei });
  if (answer.status !== 202)
    throw new Error(
      `scan of ${stationId} slot ${slot} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
    );
  const { attemptId } = answer.body as CreateFlashJobResponse;
  attempts.push(attemptId);
  return attemptId;
}

const resultOf = (attemptId: string, timeoutMs = 90_000) =>
  waitFor(`flash:result of ${attemptId}`, () => results.find((r) => r.attemptId === attemptId), {
    timeoutMs,
  });

async function detail(stationId: string): Promise<StationDetail> {
  const response = await fetch(`${server.baseUrl}/api/stations/${stationId}`, {
    headers: { cookie },
  });
  return StationDetail.parse(await response.json());
}

async function health(): Promise<HealthResponse> {
  return HealthResponse.parse(await (await fetch(`${server.baseUrl}/api/health`)).json());
}

/** A module that has never been flashed, seated in `slot` in place of whatever sat there. */
async function freshModule(jig: JigControlClient, slot: number): Promise<string> {
  const imei = uniqueImei();
  if ((await jig.status()).find((s) => s.slot === slot)?.imei) await jig.remove(slot);
  await jig.seat({ slot, imei, revision: 'MC60CAR01A03' });
  return imei;
}

const revisionIn = async (jig: JigControlClient, slot: number) =>
  (await jig.status()).find((s) => s.slot === slot)?.revision;

beforeAll(async () => {
  dir = await tempDir('two-stations');
  const scenario = dir.join('station-b.json');
  await writeFile(
    scenario,
    JSON.stringify({
      defaults: { revision: B_OLD_REVISION },
      slots: [
        { slot: 1, imei: B_IMEI[0] },
        { slot: 2, imei: B_IMEI[1], faults: { deadPsram: true } },
        { slot: 3, empty: true },
      ],
    }),
  );
  server = await startTestServer({ ATTEMPT_LOST_GRACE_MS: '2000', RECONCILE_MS: '250' });
  [agentA, agentB] = await Promise.all([
    startStationFor(server, A, { EMULATOR_SLOTS: '2' }),
    startStationFor(server, B, { EMULATOR_SLOTS: '3', EMULATOR_SCENARIO: scenario }),
  ]);
  jigA = await connectJigControl(agentA.controlAddress);
  jigB = await connectJigControl(agentB.controlAddress);
  cookie = await server.signIn('supervisor');
  socket = connect(server.baseUrl, { transports: ['websocket'], extraHeaders: { cookie } });
  socket.on('flash:result', (event) => results.push(event));
  await waitFor('socket connection', () => socket.connected);
  for (const stationId of [A, B]) await socket.emitWithAck('station:watch', { v: 1, stationId });
}, 120_000);

afterAll(async () => {
  socket?.disconnect();
  jigA?.close();
  jigB?.close();
  await agentA?.dispose();
  await agentB?.dispose();
  await server?.close();
  await dir?.dispose();
}, 60_000);

describe('two stations on one server', { timeout: 180_000 }, () => {
  it('each flashes its own slots: a job reaches only the station that owns the slot', async () => {
    // Slot 1 of A and slot 2 of B are left alone: whatever happens to them came from elsewhere.
    const [onA, onB] = await Promise.all([scan(A, 2, labelImei(2)), scan(B, 1, B_IMEI[0]!)]);
    expect(await resultOf(onA)).toMatchObject({ stationId: A, slot: 2, outcome: 'passed' });
    expect(await resultOf(onB)).toMatchObject({
      stationId: B,
      slot: 1,
      outcome: 'passed',
      revisionBefore: B_OLD_REVISION,
      revisionAfter: DEMO_REVISION,
    });
    expect(await revisionIn(jigA, 2)).toBe(DEMO_REVISION);
    expect(await revisionIn(jigB, 1)).toBe(DEMO_REVISION);
    // The same slot numbers on the other station were not touched.
    expect(await revisionIn(jigA, 1)).toBe('MC60CAR01A10');
    expect(await revisionIn(jigB, 2)).toBe(B_OLD_REVISION);
    const stored = await server.db.prisma.flashAttempt.findMany({
      where: { id: { in: [onA, onB] } },
      select: { id: true, station: { select: { code: true } } },
    });
    expect(Object.fromEntries(stored.map((a) => [a.id, a.station.code]))).toEqual({
      [onA]: A,
      [onB]: B,
    });
  });

  it('station B serves its scenario: the dead-PSRAM module fails its DA upload; a module seated in its empty slot flashes', async () => {
    const dead = await scan(B, 2, B_IMEI[1]!);
    expect(await resultOf(dead)).toMatchObject({
      stationId: B,
      slot: 2,
      outcome: 'failed',
      stage: 'da_upload',
      errorCode: 2021,
    });
    const seated = await freshModule(jigB, 3);
    const onSeated = await scan(B, 3, seated);
    expect(await resultOf(onSeated)).toMatchObject({
      stationId: B,
      slot: 3,
      imei: seated,
      outcome: 'passed',
      revisionAfter: DEMO_REVISION,
    });
  });

  it('one station killed mid-flash: its slots go offline, its attempt is interrupted, the other keeps flashing', async () => {
    const onA = await scan(A, 1, await freshModule(jigA, 1));
    const duringKill = await scan(B, 1, await freshModule(jigB, 1));
    await waitFor(
      "station A's flash under way, its stage stored",
      async () => {
        const row = await server.db.prisma.flashAttempt.findUniqueOrThrow({ where: { id: onA } });
        return ['da_upload', 'da_connect', 'baud', 'format', 'write'].includes(row.stageReached);
      },
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    jigA.close();
    await agentA.kill();

    // Heartbeat TTL, then the grace: the open attempt is settled, said to every screen.
    expect(await resultOf(onA)).toMatchObject({
      stationId: A,
      slot: 1,
      outcome: 'interrupted',
      errorName: 'STATION_LOST',
    });
    const gone = await detail(A);
    expect(gone.connected).toBe(false);
    expect(gone.slots.map((s) => s.online)).toEqual([false, false]);
    expect(gone.line.map((s) => [s.slot, s.status, s.current])).toEqual([
      [1, 'offline', null],
      [2, 'offline', null],
    ]);
    expect(gone.line[0]!.statusReason).toBe(`station ${A} is not connected (no heartbeat)`);
    const stations = (await health()).stations;
    expect(stations.find((s) => s.stationId === A)).toMatchObject({
      connected: false,
      slots: [{ online: false }, { online: false }],
    });

    // Station B flashed on through the kill, and takes a new scan after it.
    expect(await resultOf(duringKill)).toMatchObject({ stationId: B, outcome: 'passed' });
    const after = await scan(B, 3, await freshModule(jigB, 3));
    expect(await resultOf(after)).toMatchObject({ stationId: B, slot: 3, outcome: 'passed' });
    const stillThere = await detail(B);
    expect(stillThere.connected).toBe(true);
    expect(stillThere.line.map((s) => s.status)).toEqual(['active', 'active', 'active']);
    expect(stations.find((s) => s.stationId === B)?.slots.every((s) => s.online !== false)).toBe(
      true,
    );

    // Nothing failed silently: every attempt of this test file is closed with exactly one result.
    expect(await server.db.prisma.flashAttempt.count({ where: { endedAt: null } })).toBe(0);
    for (const id of attempts) {
      expect(results.filter((r) => r.attemptId === id)).toHaveLength(1);
    }
  });
});
