// Station registration and disappearance, end to end. Real: Postgres (own database), Redis (own
// key prefix), the server runtime listening on a free port, socket.io over a real websocket, and
// the station agent as a child process (emulated slots). Nothing is mocked.
import { join } from 'node:path';
import { stationControlStream, StationsSnapshot } from '@station/contracts';
import { stationRepository } from '@station/db';
import { spawnApp, waitFor, type StationApp } from '@station/testkit';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  StationListResponse,
  StationStatus,
} from '@station/contracts';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { provisionFor, startTestServer, type TestServer } from './helpers';

let server: TestServer | undefined;
let agent: StationApp | undefined;
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

afterEach(async () => {
  socket?.disconnect();
  await agent?.dispose();
  await server?.close();
  server = agent = socket = undefined;
});

/** A supervisor's session on the current test server (sees every station). */
let cookie = '';

const stationVia = async (stationId: string): Promise<StationStatus | undefined> => {
  const response = await fetch(`${server!.baseUrl}/api/stations`, { headers: { cookie } });
  const body = (await response.json()) as StationListResponse;
  return body.stations.find((station) => station.stationId === stationId);
};

// The agent's jig, firmware and journal live in a temp folder spawnApp makes (agent.jigDir).
const startAgent = async (stationId: string) =>
  spawnApp('station', {
    STATION_ID: stationId,
    REDIS_PREFIX: server!.env.REDIS_PREFIX,
    EMULATOR: 'true',
    EMULATOR_SLOTS: '3',
    ...(await provisionFor(server!, stationId)),
  });

// Each case starts a server and a station agent: minutes, not seconds, on a loaded machine.
describe('station presence', { timeout: 120_000 }, () => {
  it('shows a registered agent as connected, persists it, and drops it after SIGKILL', async () => {
    server = await startTestServer();
    cookie = await server.signIn('supervisor');
    socket = connect(server.baseUrl, { transports: ['websocket'], extraHeaders: { cookie } });
    const updates: StationStatus[] = [];
    socket.on('station:update', (event) => updates.push(event.station));
    await waitFor('socket connection', () => socket!.connected);

    agent = await startAgent('kill-me');
    const station = await waitFor('station connected over REST', async () => {
      const found = await stationVia('kill-me');
      return found?.connected ? found : undefined;
    });
    expect(station.slots).toEqual([
      {
        slot: 1,
        port: join(agent.jigDir, 'slot-01'),
        adapter: 'emulator:kill-me/slot-01',
        power: 'emulator',
      },
      {
        slot: 2,
        port: join(agent.jigDir, 'slot-02'),
        adapter: 'emulator:kill-me/slot-02',
        power: 'emulator',
      },
      {
        slot: 3,
        port: join(agent.jigDir, 'slot-03'),
        adapter: 'emulator:kill-me/slot-03',
        power: 'emulator',
      },
    ]);
    await waitFor('socket update (connected)', () => updates.some((s) => s.connected));
    const snapshot = StationsSnapshot.parse(
      await socket.emitWithAck('stations:snapshot', { v: 1 }),
    );
    expect(snapshot.stations.map((s) => [s.stationId, s.connected])).toEqual([['kill-me', true]]);

    // The registry shows the station first and persists its slots right after (the row itself
    // was made when its credential was issued).
    const persisted = await waitFor('station slots persisted', async () => {
      const row = await stationRepository.findByCode(server!.db.prisma, 'kill-me');
      return row?.slots.length === 3 && row;
    });
    expect(
      persisted?.slots.map((s) => [s.index, s.powerControl, s.currentAdapter?.identity]),
    ).toEqual([
      [0, 'emulator', 'emulator:kill-me/slot-01'],
      [1, 'emulator', 'emulator:kill-me/slot-02'],
      [2, 'emulator', 'emulator:kill-me/slot-03'],
    ]);

    expect(await agent.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    // Only the heartbeat TTL can reveal a killed agent: it sent no goodbye.
    await waitFor(
      'station shown as gone over REST',
      async () => (await stationVia('kill-me'))?.connected === false,
    );
    await waitFor('socket update (gone)', () => updates.at(-1)?.connected === false);
    expect(updates.map((s) => s.connected)).toEqual([true, false]);
  });

  it('shows a SIGTERMed agent as gone through its goodbye, without waiting for the TTL', async () => {
    // Presence polling once a minute: only the unregister message can mark the station gone
    // within this test, so passing proves the goodbye path, not the TTL path.
    server = await startTestServer({ STATION_POLL_MS: '60000' });
    cookie = await server.signIn('supervisor');
    agent = await startAgent('stop-me');
    await waitFor('station connected', async () => (await stationVia('stop-me'))?.connected);

    expect(await agent.stop()).toEqual({ code: 0, signal: null });
    await waitFor(
      'station shown as gone',
      async () => (await stationVia('stop-me'))?.connected === false,
    );
    expect(agent.current.output()).not.toMatch(/"level":(50|60)/);
  });

  it('knows a running station again after a server restart, without a new registration', async () => {
    server = await startTestServer();
    agent = await startAgent('outlive-server');
    await waitFor('registration handled', () => server!.runtime.registry.get('outlive-server'));
    await server.restart();
    // The new runtime loads stations from its store and polls heartbeats before it serves.
    expect(server.runtime.registry.get('outlive-server')).toMatchObject({
      connected: true,
      slots: expect.arrayContaining([expect.objectContaining({ slot: 3, power: 'emulator' })]),
    });
    // And the station sent nothing new: its control stream holds no entry.
    expect(
      await server.runtime.redis.xlen(
        stationControlStream(server.env.REDIS_PREFIX, 'outlive-server'),
      ),
    ).toBe(0);
  });

  it('lets the dashboard origin open a socket.io session and not other origins', async () => {
    server = await startTestServer();
    const handshake = (origin: string) =>
      fetch(`${server!.baseUrl}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const allowed = await handshake('http://localhost:3000');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const other = await handshake('http://evil.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
