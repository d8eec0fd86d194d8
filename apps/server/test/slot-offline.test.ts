// A slot whose port vanishes (adapter unplugged) is shown offline in health and refused at a scan,
// and comes back when the port does. Real station agent with its emulated jig, real server.
import { readlink, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HealthResponse, type ErrorResponse } from '@station/contracts';
import { labelImei, TEST_DEMO_BADGE, waitFor, type StationApp } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFlashJob, startStationFor, startTestServer, type TestServer } from './helpers';

const STATION = 'offline-1';
let server: TestServer;
let agent: StationApp;

const slotOnline = async (slot: number) => {
  const health = HealthResponse.parse(await (await fetch(`${server.baseUrl}/api/health`)).json());
  const found = health.stations
    .find((s) => s.stationId === STATION)
    ?.slots.find((s) => s.slot === slot);
  if (!found) throw new Error(`health does not list ${STATION} slot ${slot}`);
  // `online` is left out until a station reports a slot missing.
  return found.online !== false;
};

beforeAll(async () => {
  server = await startTestServer();
  agent = await startStationFor(server, STATION);
}, 60_000);

afterAll(async () => {
  await agent?.dispose();
  await server?.close();
}, 60_000);

describe('a slot whose port vanishes', () => {
  it('shows offline in health, refuses scans with SLOT_OFFLINE, and comes back with its port', async () => {
    const link = join(agent.jigDir, 'slot-02');
    const target = await readlink(link);
    expect(await slotOnline(2)).toBe(true);
    await rm(link);
    await waitFor('slot 2 offline in health', async () => (await slotOnline(2)) === false);
    expect(await slotOnline(1)).toBe(true);
    // The operator at this station, signed in by badge at its kiosk.
    const operator = await server.signIn({ badge: TEST_DEMO_BADGE, stationId: STATION });
    const refused = await postFlashJob(server, operator, {
      stationId: STATION,
      slot: 2,
      imei: labelImei(2),
    });
    expect(refused.status).toBe(409);
    expect((refused.body as ErrorResponse).error.code).toBe('SLOT_OFFLINE');
    await symlink(target, link);
    await waitFor('slot 2 online again', () => slotOnline(2));
  });
});
