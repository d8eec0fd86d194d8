// Attribution end to end on the real stack (issue #9 §2 "Shows it"): the real server runtime (own
// Postgres database, own Redis prefix), socket.io, and the station agent as a child process
// driving an emulated jig from a scenario file; modules are seated, moved and removed through the
// jig's control socket as a person would. Slot 1's adapter is noisy above 115200: every module
// seated there fails its baud switch at 921600 and 460800 and passes after the server's second
// baud retry, while its neighbours pass first time. The third module's first failure makes slot 1
// suspect (its chain ends there; the failure is the slot's evidence, not the module's). A module
// with a dead PSRAM fails in slot 2, is moved to the empty slot 3 and is quarantined after slot 3,
// not slot 2, then refused at the scan. A module whose NVRAM IMEI differs from its label fails in
// slot 4 with the label and the IMEI it reports. Nobody else is blamed: every other slot stays
// active, no other module is quarantined, and the record holds exactly these two decisions.
// RETRY_POWER_MAX=0 keeps the dead-PSRAM chains to one attempt; baud retries are not power retries.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  StationDetail,
  type ClientToServerEvents,
  type ErrorResponse,
  type FlashResultEvent,
  type ServerToClientEvents,
  type SlotStatusEvent,
} from '@station/contracts';
import { connectJigControl, type JigControlClient } from '@station/emulator';
import { FLASH_ERRORS } from '@station/mtk';
import {
  labelImei,
  tempDir,
  uniqueImei,
  waitFor,
  type StationApp,
  type TempDir,
} from '@station/testkit';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFlashJob, startStationFor, startTestServer, type TestServer } from './helpers';

const STATION = 'attrib-1';
const NOISY = 1;
/** The dead-PSRAM module starts in slot 2 and is moved to the empty slot 3. */
const MOVED = [2, 3] as const;
const MISMATCH = 4;
const HEALTHY = [5, 6, 7];
const DEAD_PSRAM_IMEI = labelImei(MOVED[0]);
/** What the module in slot 4 reports over AT; its label says labelImei(4). */
const MISMATCH_REPORTS = uniqueImei();
const BAUD_FAULT = FLASH_ERRORS.BAUD_CHANGE_FAIL.name;

let server: TestServer;
let agent: StationApp | undefined;
let jig: JigControlClient | undefined;
let scenarioDir: TempDir;
let cookie: string;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const results: FlashResultEvent[] = [];
const slotEvents: SlotStatusEvent[] = [];

beforeAll(async () => {
  server = await startTestServer({ RETRY_POWER_MAX: '0' });
  scenarioDir = await tempDir('attribution-scenario');
  const scenario = join(scenarioDir.path, 'jig.json');
  await writeFile(
    scenario,
    JSON.stringify({
      slots: [
        {
          slot: NOISY,
          empty: true,
          adapterFaults: { noise: { aboveBaud: 115200, byteErrorRate: 0.05, seed: 3 } },
        },
        { slot: MOVED[0], imei: DEAD_PSRAM_IMEI, faults: { deadPsram: true } },
        { slot: MOVED[1], empty: true },
        { slot: MISMATCH, imei: labelImei(MISMATCH), faults: { imeiMismatch: MISMATCH_REPORTS } },
        ...HEALTHY.map((slot) => ({ slot, imei: labelImei(slot) })),
      ],
    }),
  );
  agent = await startStationFor(server, STATION, {
    EMULATOR_SCENARIO: scenario,
    EMULATOR_SLOTS: '7',
  });
  jig = await connectJigControl(agent.controlAddress);
  cookie = await server.signIn('supervisor');
  socket = connect(server.baseUrl, { transports: ['websocket'], extraHeaders: { cookie } });
  socket.on('flash:result', (event) => results.push(event));
  socket.on('slot:status', (event) => slotEvents.push(event));
  await waitFor('socket connection', () => socket.connected);
  expect((await socket.emitWithAck('station:watch', { v: 1, stationId: STATION })).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  jig?.close();
  socket?.disconnect();
  await agent?.dispose();
  await server?.close();
  await scenarioDir?.dispose();
}, 60_000);

const scan = async (slot: number, imei: string): Promise<string> => {
  const answer = await postFlashJob(server, cookie, { stationId: STATION, slot, imei });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return (answer.body as { attemptId: string }).attemptId;
};
const resultOf = (attemptId: string) =>
  waitFor(`the result of ${attemptId}`, () => results.find((r) => r.attemptId === attemptId), {
    timeoutMs: 180_000,
  });
/** A scan's whole chain: its result, then each retry's, until one is not retried. */
const chainOf = async (attemptId: string): Promise<FlashResultEvent[]> => {
  const chain = [await resultOf(attemptId)];
  for (let retry = chain[0]!.retry; retry; retry = chain.at(-1)!.retry)
    chain.push(await resultOf(retry.attemptId));
  return chain;
};
const lineOf = async () =>
  StationDetail.parse(
    await (
      await fetch(`${server.baseUrl}/api/stations/${STATION}`, { headers: { cookie } })
    ).json(),
  ).line;
/** Seats a new module in the noisy slot (emptied first) and scans its label. */
const seatAndScanNoisy = async (imei: string): Promise<string> => {
  const slot = (await jig!.status())[NOISY - 1];
  if (slot?.imei) await jig!.remove(NOISY);
  await jig!.seat({ slot: NOISY, imei });
  return scan(NOISY, imei);
};

const noisyModules = [uniqueImei(), uniqueImei(), uniqueImei()];
/** Slot 1's failed attempts, first tries and retries, oldest first: the suspect's evidence. */
const noisyFailures: string[] = [];

describe(
  'the line judges a noisy slot, a dead module and a wrong label',
  { timeout: 900_000 },
  () => {
    it('a noisy adapter: every module passes only after two baud retries; the third module makes the slot suspect', async () => {
      // The first module goes into slot 1 while the neighbours flash theirs, first time.
      const first = await seatAndScanNoisy(noisyModules[0]!);
      const neighbours = await Promise.all(HEALTHY.map((slot) => scan(slot, labelImei(slot))));
      const rescued = [await chainOf(first)];
      for (const id of neighbours)
        expect(await chainOf(id)).toEqual([
          expect.objectContaining({ outcome: 'passed', retry: null }),
        ]);
      rescued.push(await chainOf(await seatAndScanNoisy(noisyModules[1]!)));

      for (const chain of rescued) {
        expect(chain).toEqual([
          expect.objectContaining({
            outcome: 'failed',
            errorName: BAUD_FAULT,
            retryOfId: null,
            retry: expect.objectContaining({ baud: 460800, reason: 'baud' }),
          }),
          expect.objectContaining({
            outcome: 'failed',
            errorName: BAUD_FAULT,
            retryOfId: chain[0]!.attemptId,
            retry: expect.objectContaining({ baud: 115200, reason: 'baud' }),
          }),
          expect.objectContaining({
            outcome: 'passed',
            retryOfId: chain[1]!.attemptId,
            retry: null,
          }),
        ]);
        for (const result of chain) expect(result.decisions).toBeUndefined();
        noisyFailures.push(chain[0]!.attemptId, chain[1]!.attemptId);
      }
      expect((await lineOf())[NOISY - 1]).toMatchObject({ status: 'active' });

      // The third module's first failure decides it: not retried in the now suspect slot.
      const third = await chainOf(await seatAndScanNoisy(noisyModules[2]!));
      expect(third).toHaveLength(1);
      expect(third[0]).toMatchObject({ outcome: 'failed', errorName: BAUD_FAULT, retry: null });
      noisyFailures.push(third[0]!.attemptId);
      const [decision, ...others] = third[0]!.decisions ?? [];
      expect(others).toEqual([]);
      expect(decision).toEqual({
        kind: 'slot.suspect',
        subject: `${STATION}/${NOISY}`,
        reason: `3 different modules failed here (${BAUD_FAULT}) in its last 7 attempts, retries included, while the other slots passed 3 with the same package: check this slot's adapter, cable and power.`,
        evidence: noisyFailures,
      });
      expect(
        await server.db.prisma.flashAttempt.count({ where: { retryOfId: third[0]!.attemptId } }),
      ).toBe(0);
      expect(
        await waitFor('slot:status suspect', () => slotEvents.find((e) => e.slot === NOISY)),
      ).toEqual({
        v: 1,
        stationId: STATION,
        slot: NOISY,
        status: 'suspect',
        statusReason: decision!.reason,
      });
      // The slot's fault is no module's: two passed on a retry, the third failed, none quarantined.
      const stored = await server.db.prisma.module.findMany({
        where: { imei: { in: noisyModules } },
      });
      expect(Object.fromEntries(stored.map((m) => [m.imei, m.status]))).toEqual({
        [noisyModules[0]!]: 'passed',
        [noisyModules[1]!]: 'passed',
        [noisyModules[2]!]: 'failed',
      });
    });

    it('a dead-PSRAM module moved across two slots is quarantined after the second, then refused at the scan', async () => {
      const onFirst = await chainOf(await scan(MOVED[0], DEAD_PSRAM_IMEI));
      expect(onFirst).toEqual([expect.objectContaining({ outcome: 'failed', retry: null })]);
      expect(onFirst[0]!.decisions).toBeUndefined();
      expect(
        await server.db.prisma.module.findUniqueOrThrow({ where: { imei: DEAD_PSRAM_IMEI } }),
      ).toMatchObject({ status: 'failed' });
      // The operator moves it to the next slot, as a person would try.
      await jig!.move(MOVED[0], MOVED[1]);

      const onSecond = await chainOf(await scan(MOVED[1], DEAD_PSRAM_IMEI));
      const name = onFirst[0]!.errorName;
      expect(onSecond).toEqual([
        expect.objectContaining({ outcome: 'failed', errorName: name, retry: null }),
      ]);
      const reason = `Failed on 2 healthy slots: ${STATION}/${MOVED[0]} (${name}), ${STATION}/${MOVED[1]} (${name}); the fault travels with the module.`;
      expect(onSecond[0]!.decisions).toEqual([
        {
          kind: 'module.quarantined',
          subject: DEAD_PSRAM_IMEI,
          reason,
          evidence: [onFirst[0]!.attemptId, onSecond[0]!.attemptId],
        },
      ]);
      const history = await fetch(`${server.baseUrl}/api/modules/${DEAD_PSRAM_IMEI}`, {
        headers: { cookie },
      });
      expect(await history.json()).toMatchObject({
        status: 'quarantined',
        statusReason: reason,
        decisions: [{ kind: 'module.quarantined', releasedAt: null }],
      });
      const refused = await postFlashJob(server, cookie, {
        stationId: STATION,
        slot: HEALTHY[0],
        imei: DEAD_PSRAM_IMEI,
      });
      expect(refused.status).toBe(409);
      expect((refused.body as ErrorResponse).error).toMatchObject({
        code: 'MODULE_BLOCKED',
        message: `Module ${DEAD_PSRAM_IMEI} is quarantined (${reason}): it may not be flashed until a supervisor releases it`,
      });
    });

    it('a label that is not the seated module fails with both IMEIs, for the tile’s sentence, and blames nobody', async () => {
      const [result, ...more] = await chainOf(await scan(MISMATCH, labelImei(MISMATCH)));
      expect(more).toEqual([]);
      // The tile says "Label and module do not match: the label says <imei>, the module reports
      // <reportedImei>" from these two fields (apps/dashboard flash-status.tsx).
      expect(result).toMatchObject({
        outcome: 'failed',
        errorName: FLASH_ERRORS.IMEI_MISMATCH.name,
        imei: labelImei(MISMATCH),
        reportedImei: MISMATCH_REPORTS,
        operatorHint: FLASH_ERRORS.IMEI_MISMATCH.operatorHint,
        retry: null,
      });
      expect(result!.decisions).toBeUndefined();
    });

    it('blames nobody else: the other slots stay active, no other module is quarantined', async () => {
      const line = await lineOf();
      expect(line.map((s) => [s.slot, s.status])).toEqual([
        [NOISY, 'suspect'],
        [MOVED[0], 'active'],
        [MOVED[1], 'active'],
        [MISMATCH, 'active'],
        ...HEALTHY.map((slot) => [slot, 'active']),
      ]);
      const decisions = await server.db.prisma.attributionDecision.findMany({
        orderBy: { decidedAt: 'asc' },
        include: { slot: true, module: true },
      });
      expect(
        decisions.map((d) => ({
          kind: d.kind,
          slot: d.slot && d.slot.index + 1,
          imei: d.module?.imei ?? null,
          evidence: d.evidence.length,
        })),
      ).toEqual([
        { kind: 'slot.suspect', slot: NOISY, imei: null, evidence: noisyFailures.length },
        { kind: 'module.quarantined', slot: null, imei: DEAD_PSRAM_IMEI, evidence: 2 },
      ]);
      expect(decisions[0]!.evidence).toEqual(noisyFailures);
      const quarantined = await server.db.prisma.module.findMany({
        where: { status: 'quarantined' },
      });
      expect(quarantined.map((m) => m.imei)).toEqual([DEAD_PSRAM_IMEI]);
      const others = await server.db.prisma.module.findMany({
        where: { imei: { in: [labelImei(MISMATCH), ...HEALTHY.map((slot) => labelImei(slot))] } },
        orderBy: { imei: 'asc' },
      });
      // The label's module was never in the slot: its record stays as it was (module-rule.ts).
      expect(others.map((m) => [m.imei, m.status])).toEqual([
        [labelImei(MISMATCH), 'new'],
        ...HEALTHY.map((slot) => [labelImei(slot), 'passed']),
      ]);
    });
  },
);
