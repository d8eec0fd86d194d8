// Alerts end to end on the real stack (issue #12 §2 "Shows it"): the real server runtime (own
// Postgres database, own Redis prefix), socket.io, /metrics and the station agent as a child
// process driving an emulated jig of three slots; modules are seated and removed through the
// jig's control socket as a person would. Nothing is mocked but the modules (the emulator).
// Two dead-PSRAM modules in slots 1 and 2 fail: yield over the window drops to 0 and fires
// "yield below target" while slot 3, never used, is silent beside its working neighbours. Two good
// modules in the same slots bring first-pass yield to the 0.5 target: the yield alert clears.
// A module flashed in slot 3 clears "slot silent"; the agent stopped, the station is offline
// (nothing said about its slots); a credential no agent has used is offline too. Short windows and a 200 ms evaluation come
// from the server's settings.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AlertsResponse,
  type AlertChangedEvent,
  type ClientToServerEvents,
  type FlashResultEvent,
  type ServerToClientEvents,
} from '@station/contracts';
import { connectJigControl, type JigControlClient } from '@station/emulator';
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
import {
  postFlashJob,
  provisionFor,
  startStationFor,
  startTestServer,
  type TestServer,
} from './helpers';

const STATION = 'alerts-1';
const YIELD = `yield_below_target:${STATION}`;
const SILENT = `slot_silent:${STATION}/3`;
const DEAD = [uniqueImei(), uniqueImei()];

let server: TestServer;
let agent: StationApp | undefined;
let jig: JigControlClient | undefined;
let scenarioDir: TempDir;
let cookie: string;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const results: FlashResultEvent[] = [];
const changes: AlertChangedEvent[] = [];
/** alert:changed is for supervisors and up: an operator's socket must never see one. */
let operatorSocket: Socket<ServerToClientEvents, ClientToServerEvents>;
const operatorChanges: AlertChangedEvent[] = [];

beforeAll(async () => {
  server = await startTestServer({
    RETRY_POWER_MAX: '0',
    ALERT_EVALUATE_MS: '200',
    ALERT_WINDOW_MS: '600000',
    ALERT_YIELD_TARGET: '0.5',
    ALERT_MIN_UNITS: '2',
    ALERT_RETEST_RATE_MAX: '10',
    ALERT_SILENT_MS: '600000',
    ALERT_SILENT_NEIGHBOUR_UNITS: '2',
    // Long enough for the agent's first heartbeat, short for the test's stop.
    ALERT_HOLD_MS: '1000',
  });
  scenarioDir = await tempDir('alerts-scenario');
  const scenario = join(scenarioDir.path, 'jig.json');
  await writeFile(
    scenario,
    JSON.stringify({
      slots: [
        { slot: 1, imei: DEAD[0], faults: { deadPsram: true } },
        { slot: 2, imei: DEAD[1], faults: { deadPsram: true } },
        { slot: 3, empty: true },
      ],
    }),
  );
  agent = await startStationFor(server, STATION, {
    EMULATOR_SCENARIO: scenario,
    EMULATOR_SLOTS: '3',
  });
  jig = await connectJigControl(agent.controlAddress);
  cookie = await server.signIn('supervisor');
  socket = connect(server.baseUrl, { transports: ['websocket'], extraHeaders: { cookie } });
  socket.on('flash:result', (event) => results.push(event));
  socket.on('alert:changed', (event) => changes.push(event));
  operatorSocket = connect(server.baseUrl, {
    transports: ['websocket'],
    extraHeaders: { cookie: await server.signIn('operator') },
  });
  operatorSocket.on('alert:changed', (event) => operatorChanges.push(event));
  await waitFor('socket connection', () => socket.connected && operatorSocket.connected);
  expect((await socket.emitWithAck('station:watch', { v: 1, stationId: STATION })).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  jig?.close();
  socket?.disconnect();
  operatorSocket?.disconnect();
  await agent?.dispose();
  await server?.close();
  await scenarioDir?.dispose();
}, 60_000);

const flash = async (slot: number, imei: string): Promise<FlashResultEvent> => {
  const answer = await postFlashJob(server, cookie, { stationId: STATION, slot, imei });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  const { attemptId } = answer.body as { attemptId: string };
  return waitFor(
    `the result of ${attemptId}`,
    () => results.find((r) => r.attemptId === attemptId),
    {
      timeoutMs: 180_000,
    },
  );
};
const reseat = async (slot: number, imei: string) => {
  if ((await jig!.status())[slot - 1]?.imei) await jig!.remove(slot);
  await jig!.seat({ slot, imei });
};
const alerts = async () =>
  AlertsResponse.parse(
    await (await fetch(`${server.baseUrl}/api/alerts`, { headers: { cookie } })).json(),
  );
const firingIds = async () => (await alerts()).alerts.map((a) => a.id).sort();
const metricsText = async () =>
  (await fetch(`${server.baseUrl}/metrics`, { headers: { cookie } })).text();

describe('alerts on the real stack', { timeout: 600_000 }, () => {
  it('an idle line raises nothing', async () => {
    await server.runtime.alerts.evaluate();
    expect(await alerts()).toMatchObject({ state: 'ok', alerts: [] });
  });

  it('failing modules fire "yield below target", and slot 3 is silent beside its neighbours', async () => {
    const failed = await Promise.all([flash(1, DEAD[0]!), flash(2, DEAD[1]!)]);
    expect(failed.map((r) => r.outcome)).toEqual(['failed', 'failed']);

    await waitFor('both alerts firing', async () => {
      const ids = await firingIds();
      return ids.includes(YIELD) && ids.includes(SILENT);
    });
    const { alerts: firing } = await alerts();
    expect(firing.find((a) => a.id === YIELD)).toMatchObject({
      kind: 'yield_below_target',
      severity: 'critical',
      stationId: STATION,
      slot: null,
      evidence: { firstPassYield: 0, target: 0.5, units: 2 },
      action: expect.stringContaining('Pareto'),
    });
    expect(firing.find((a) => a.id === SILENT)).toMatchObject({
      kind: 'slot_silent',
      slot: 3,
      evidence: { neighbourUnits: 2 },
    });
    // Nothing else: the failures were one per slot and module, not a suspect slot's pattern.
    expect(firing.map((a) => a.id).sort()).toEqual([SILENT, YIELD].sort());
    // Supervisors were told live, and Prometheus sees the same.
    await waitFor('alert:changed with both', () =>
      [YIELD, SILENT].every((id) => changes.some((c) => c.fired.includes(id))),
    );
    const text = await metricsText();
    expect(text).toContain(
      `flashstation_alert_active{kind="yield_below_target",severity="critical",station="${STATION}",slot=""} 1`,
    );
    expect(text).toContain(
      `flashstation_alert_active{kind="slot_silent",severity="warning",station="${STATION}",slot="3"} 1`,
    );
  });

  it('good modules bring yield back to target: the yield alert clears, slot 3 stays silent', async () => {
    await reseat(1, labelImei(1));
    await reseat(2, labelImei(2));
    const passed = await Promise.all([flash(1, labelImei(1)), flash(2, labelImei(2))]);
    expect(passed.map((r) => r.outcome)).toEqual(['passed', 'passed']);

    await waitFor('yield alert cleared', async () => !(await firingIds()).includes(YIELD));
    expect(await firingIds()).toEqual([SILENT]);
    expect(changes.some((c) => c.cleared.includes(YIELD))).toBe(true);
    expect(await metricsText()).not.toContain('kind="yield_below_target"');
  });

  it('a module flashed in slot 3 clears "slot silent"', async () => {
    await reseat(3, labelImei(3));
    expect((await flash(3, labelImei(3))).outcome).toBe('passed');
    await waitFor('slot silent cleared', async () => (await firingIds()).length === 0);
    await waitFor('alert:changed clearing it', () =>
      changes.some((c) => c.cleared.includes(SILENT) && c.alerts.length === 0),
    );
    // Four changes went to the supervisor; the operator's socket, connected throughout, got none.
    expect(changes.length).toBeGreaterThanOrEqual(3);
    expect(operatorChanges).toEqual([]);
  });

  it('a stopped station agent fires "station offline", and nothing about its slots', async () => {
    await agent!.dispose();
    agent = undefined;
    const OFFLINE = `station_offline:${STATION}`;
    await waitFor('station offline firing', async () => (await firingIds()).includes(OFFLINE), {
      timeoutMs: 30_000,
    });
    expect(await firingIds()).toEqual([OFFLINE]);
    const [offline] = (await alerts()).alerts;
    expect(offline).toMatchObject({
      severity: 'critical',
      action: expect.stringContaining('restart the station agent'),
    });
    await waitFor('alert:changed firing it', () => changes.some((c) => c.fired.includes(OFFLINE)));
  });

  it('a credential no agent has used fires "station offline" for it too', async () => {
    const GHOST = 'alerts-ghost';
    await provisionFor(server, GHOST);
    const id = `station_offline:${GHOST}`;
    await waitFor('the never-seen station firing', async () => (await firingIds()).includes(id), {
      timeoutMs: 30_000,
    });
    const ghost = (await alerts()).alerts.find((a) => a.id === id);
    expect(ghost).toMatchObject({
      severity: 'critical',
      stationId: GHOST,
      slot: null,
      message: expect.stringContaining('no agent has reported'),
    });
    expect(await firingIds()).toEqual([`station_offline:${STATION}`, id].sort());
  });
});
