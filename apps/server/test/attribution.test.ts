// Attribution end to end on the real stack: the real server runtime (own Postgres database, own
// Redis prefix), socket.io, and the station agent as a child process driving an emulated jig from
// a scenario file. Slot 1's power relay is dead (`noHandshake: "no-power"`, blank modules): every
// module scanned there times out at the handshake, a jig fault; slots 2-4 flash healthy modules.
// After the third distinct module fails in slot 1 while its neighbours passed, the result that
// decided it carries `slot.suspect`, the line shows slot 1 suspect with the reason, and no module
// and no healthy slot is blamed. A module with a dead PSRAM fails in slot 5 and is moved to the
// empty slot 6 through the jig's control socket: quarantined after its second healthy slot, not
// its first, then refused at the scan. RETRY_POWER_MAX=0 keeps each chain to one attempt.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  StationDetail,
  type ClientToServerEvents,
  type FlashResultEvent,
  type ServerToClientEvents,
  type SlotStatusEvent,
} from '@station/contracts';
import {
  labelImei,
  tempDir,
  uniqueImei,
  waitFor,
  type StationApp,
  type TempDir,
} from '@station/testkit';
import { connectJigControl } from '@station/emulator';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFlashJob, startStationFor, startTestServer, type TestServer } from './helpers';

const STATION = 'suspect-1';
const DEAD_RELAY = 1;
const HEALTHY = [2, 3, 4];
/** One module with a dead PSRAM, seated in slot 5, then moved to the empty slot 6. */
const MOVED = [5, 6];
const DEAD_PSRAM_IMEI = labelImei(5);

let server: TestServer;
let agent: StationApp | undefined;
let scenarioDir: TempDir;
let cookie: string;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const results: FlashResultEvent[] = [];
const slotEvents: SlotStatusEvent[] = [];

beforeAll(async () => {
  server = await startTestServer({ RETRY_POWER_MAX: '0' });
  scenarioDir = await tempDir('suspect-scenario');
  const scenario = join(scenarioDir.path, 'jig.json');
  await writeFile(
    scenario,
    JSON.stringify({
      slots: [
        { slot: DEAD_RELAY, revision: null, faults: { noHandshake: 'no-power' } },
        ...HEALTHY.map((slot) => ({ slot, imei: labelImei(slot) })),
        { slot: MOVED[0], imei: DEAD_PSRAM_IMEI, faults: { deadPsram: true } },
        { slot: MOVED[1], empty: true },
      ],
    }),
  );
  agent = await startStationFor(server, STATION, {
    EMULATOR_SCENARIO: scenario,
    EMULATOR_SLOTS: '6',
  });
  cookie = await server.signIn('supervisor');
  socket = connect(server.baseUrl, { transports: ['websocket'], extraHeaders: { cookie } });
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

const scan = async (slot: number, imei: string): Promise<string> => {
  const answer = await postFlashJob(server, cookie, { stationId: STATION, slot, imei });
  expect(answer.status).toBe(202);
  return (answer.body as { attemptId: string }).attemptId;
};
const resultOf = (attemptId: string) =>
  waitFor(`the result of ${attemptId}`, () => results.find((r) => r.attemptId === attemptId), {
    timeoutMs: 120_000,
  });

describe('a slot whose failures rise while its neighbours pass', { timeout: 360_000 }, () => {
  it('is marked suspect with the evidence, and nobody else is blamed', async () => {
    const modules = [uniqueImei(), uniqueImei(), uniqueImei()];
    // The first module fails in slot 1 while the neighbours flash theirs.
    const first = await scan(DEAD_RELAY, modules[0]!);
    const neighbours = await Promise.all(HEALTHY.map((slot) => scan(slot, labelImei(slot))));
    for (const id of neighbours) expect(await resultOf(id)).toMatchObject({ outcome: 'passed' });
    const failures = [await resultOf(first)];
    for (const imei of modules.slice(1))
      failures.push(await resultOf(await scan(DEAD_RELAY, imei)));

    for (const failure of failures)
      expect(failure).toMatchObject({
        outcome: 'failed',
        errorName: 'S_BROM_CMD_STARTCMD_TIMEOUT',
        retry: null,
      });
    expect(failures[0]!.decisions).toBeUndefined();
    expect(failures[1]!.decisions).toBeUndefined();
    const [decision] = failures[2]!.decisions ?? [];
    expect(decision).toEqual({
      kind: 'slot.suspect',
      subject: `${STATION}/${DEAD_RELAY}`,
      reason: `3 different modules failed here (S_BROM_CMD_STARTCMD_TIMEOUT) in its last 3 attempts while the other slots passed 3 with the same package: check this slot's adapter, cable and power.`,
      evidence: failures.map((f) => f.attemptId),
    });

    // The watchers hear the slot's new status too.
    expect(
      await waitFor('slot:status suspect', () => slotEvents.find((e) => e.slot === DEAD_RELAY)),
    ).toEqual({
      v: 1,
      stationId: STATION,
      slot: DEAD_RELAY,
      status: 'suspect',
      statusReason: decision!.reason,
    });
    const response = await fetch(`${server.baseUrl}/api/stations/${STATION}`, {
      headers: { cookie },
    });
    const line = StationDetail.parse(await response.json()).line;
    expect(line.map((s) => [s.slot, s.status, s.statusReason])).toEqual([
      [1, 'suspect', decision!.reason],
      [2, 'active', null],
      [3, 'active', null],
      [4, 'active', null],
      [5, 'active', null],
      [6, 'active', null],
    ]);
    // A jig fault condemns no module: each failed, none quarantined.
    const stored = await server.db.prisma.module.findMany({ where: { imei: { in: modules } } });
    expect(stored.map((m) => m.status)).toEqual(['failed', 'failed', 'failed']);
    expect(await server.db.prisma.module.count({ where: { status: 'quarantined' } })).toBe(0);
    expect(await server.db.prisma.attributionDecision.count()).toBe(1);
  });
});

describe('a module that fails on two healthy slots', { timeout: 240_000 }, () => {
  it('is quarantined after the second slot, not the first, with the evidence, and refused at the scan', async () => {
    const onFirst = await resultOf(await scan(MOVED[0]!, DEAD_PSRAM_IMEI));
    expect(onFirst).toMatchObject({ outcome: 'failed', retry: null });
    expect(onFirst.decisions).toBeUndefined();
    expect(
      await server.db.prisma.module.findUniqueOrThrow({ where: { imei: DEAD_PSRAM_IMEI } }),
    ).toMatchObject({ status: 'failed' });
    // The operator moves it to the next slot, as a person would try.
    const jig = await connectJigControl(agent!.controlAddress);
    try {
      await jig.move(MOVED[0]!, MOVED[1]!);
    } finally {
      jig.close();
    }

    const onSecond = await resultOf(await scan(MOVED[1]!, DEAD_PSRAM_IMEI));
    expect(onSecond).toMatchObject({ outcome: 'failed', errorName: onFirst.errorName });
    const name = onFirst.errorName;
    expect(onSecond.decisions).toEqual([
      {
        kind: 'module.quarantined',
        subject: DEAD_PSRAM_IMEI,
        reason: `Failed on 2 healthy slots: ${STATION}/5 (${name}), ${STATION}/6 (${name}); the fault travels with the module.`,
        evidence: [onFirst.attemptId, onSecond.attemptId],
      },
    ]);
    // Both slots stay in rotation: the fault is the module's.
    const line = StationDetail.parse(
      await (
        await fetch(`${server.baseUrl}/api/stations/${STATION}`, { headers: { cookie } })
      ).json(),
    ).line;
    expect(line.filter((s) => MOVED.includes(s.slot)).map((s) => s.status)).toEqual([
      'active',
      'active',
    ]);
    const history = await fetch(`${server.baseUrl}/api/modules/${DEAD_PSRAM_IMEI}`, {
      headers: { cookie },
    });
    expect(await history.json()).toMatchObject({
      status: 'quarantined',
      statusReason: onSecond.decisions![0]!.reason,
      decisions: [{ kind: 'module.quarantined', releasedAt: null }],
    });
    const refused = await postFlashJob(server, cookie, {
      stationId: STATION,
      slot: HEALTHY[0],
      imei: DEAD_PSRAM_IMEI,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'MODULE_BLOCKED' } });
  });
});
