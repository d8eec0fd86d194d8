// Property-based fuzzing of every socket.io event a client may emit (SOCKET_EVENT_MATRIX), on the
// real server runtime: arbitrary payloads and extra arguments, events without an ack, bursts up to
// the configured limit, unknown event names, forged handshakes. Whatever arrives: the server never
// crashes, every acked event is answered (the data asked for, or a specific error), and the
// connection stays usable. The limits themselves have their tests in safe-defaults.test.ts.
import {
  SESSION_COOKIE,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@station/contracts';
import { waitFor } from '@station/testkit';
import fc from 'fast-check';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_EVENT_MATRIX } from '../../src/auth/role-matrix';
import { fuzzRuns } from './fuzz-settings';
import { startFuzzLine, type FuzzLine } from './fuzz-line';
import { hostileJson, hostileString, mutated, urlEncoded } from './hostile-values';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
/**
 * Events per second per socket on this line: high enough that back-to-back runs stay within it
 * (going over it is safe-defaults.test.ts's subject); a burst is up to 50 events at once.
 */
const EVENTS_PER_SECOND = 10_000;
const BURST = 50;
const PEOPLE = ['operator', 'supervisor', 'engineer', 'admin'] as const;
/** How long an acked event may go unanswered before it counts as never answered. */
const ACK_DEADLINE_MS = 10_000;

let line: FuzzLine;
const sockets = new Map<string, Client>();
/** Why sockets closed, for the failure message. */
const disconnects: string[] = [];

beforeAll(async () => {
  line = await startFuzzLine({ SOCKET_EVENTS_PER_SECOND: String(EVENTS_PER_SECOND) });
}, 90_000);

afterAll(async () => {
  for (const socket of sockets.values()) socket.disconnect();
  await line?.close();
}, 60_000);

const open = (options: { cookie?: string; token?: unknown }): Client =>
  connect(line.server.baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}),
    ...(options.token !== undefined ? { auth: { token: options.token } } : {}),
  });

/** One connected socket per person, opened again when a run left it closed (that fails the run). */
async function socketOf(person: (typeof PEOPLE)[number]): Promise<Client> {
  const known = sockets.get(person);
  if (known?.connected) return known;
  known?.disconnect();
  const headers = await line.headersOf(person, 'GET', '/socket.io/');
  const socket = open({ cookie: headers.cookie! });
  socket.on('disconnect', (reason) => disconnects.push(`${person}: ${reason}`));
  sockets.set(person, socket);
  await waitFor(`${person}'s socket connected`, () => socket.connected);
  return socket;
}

/** Names socket.io's client will not emit (it throws): they never reach a server. */
const CLIENT_RESERVED = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

const validPayloads: Record<string, unknown> = {
  'stations:snapshot': { v: 1 },
  'station:watch': { v: 1, stationId: 'fuzz-1' },
};

/** An ack the client can act on: the data asked for, or `ok: false` with a sentence. */
function expectSpecificAck(event: string, ack: unknown) {
  expect(ack).toMatchObject({ v: 1 });
  const reply = ack as { ok?: boolean; error?: unknown; stations?: unknown; station?: unknown };
  if (reply.ok === false) {
    expect(typeof reply.error).toBe('string');
    expect((reply.error as string).trim()).not.toBe('');
  } else if (event === 'stations:snapshot') expect(Array.isArray(reply.stations)).toBe(true);
  else expect(reply).toMatchObject({ ok: true, station: expect.any(Object) });
}

/** The socket still answers a plain request, and the server its health check. */
async function expectUsable(socket: Client) {
  expect(socket.connected, `disconnected: ${disconnects.join(', ')}`).toBe(true);
  const snapshot = await socket.timeout(ACK_DEADLINE_MS).emitWithAck('stations:snapshot', { v: 1 });
  expect(Array.isArray(snapshot.stations)).toBe(true);
  expect((await fetch(`${line.server.baseUrl}/api/health`)).status).toBe(200);
}

const emission = fc.record({
  event: fc.constantFrom(...Object.keys(SOCKET_EVENT_MATRIX)),
  payload: fc.oneof(...Object.values(validPayloads).map(mutated), hostileJson),
  extra: fc.option(hostileJson, { freq: 4 }),
  acked: fc.boolean(),
});

describe('every socket.io event under generated input', { timeout: 120_000 }, () => {
  it('answers every acked event specifically, survives missing acks, stays usable', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PEOPLE),
        // A burst: up to the limit's burst size (twice the rate), all sent at once.
        fc.array(emission, { minLength: 1, maxLength: BURST }),
        async (person, emissions) => {
          const socket = await socketOf(person);
          const raw = socket as unknown as {
            timeout(ms: number): { emitWithAck(...args: unknown[]): Promise<unknown> };
            emit(...args: unknown[]): void;
          };
          const acks = emissions.map(({ event, payload, extra, acked }) => {
            const args = extra === null ? [payload] : [payload, extra];
            if (!acked) {
              raw.emit(event, ...args);
              return null;
            }
            return raw
              .timeout(ACK_DEADLINE_MS)
              .emitWithAck(event, ...args)
              .then((ack) => ({ event, ack }));
          });
          for (const answer of await Promise.all(acks))
            if (answer) expectSpecificAck(answer.event, answer.ack);
          await expectUsable(socket);
        },
      ),
      fuzzRuns(30, 300),
    );
  });

  it('ignores unknown event names, with or without an ack, and stays usable', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PEOPLE),
        fc
          .oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'error', 'ping'))
          .filter(
            (name) =>
              !(name in SOCKET_EVENT_MATRIX) && !CLIENT_RESERVED.has(name) && name.length < 1_000,
          ),
        hostileJson,
        async (person, event, payload) => {
          const socket = await socketOf(person);
          (socket as unknown as { emit(...args: unknown[]): void }).emit(event, payload, () => {});
          await expectUsable(socket);
        },
      ),
      fuzzRuns(20, 200),
    );
  });

  it('refuses a handshake with a forged cookie or token (UNAUTHENTICATED), server alive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileString.map((value) => ({
            cookie: `${SESSION_COOKIE}=${urlEncoded(value.slice(0, 500))}`,
          })),
          hostileJson.map((token) => ({ token })),
        ),
        async (options) => {
          const socket = open(options);
          try {
            const errors: Error[] = [];
            socket.on('connect_error', (error) => errors.push(error));
            const error = await waitFor('connect_error', () => errors[0]);
            expect(error.message).toBe('UNAUTHENTICATED');
            expect(socket.connected).toBe(false);
          } finally {
            socket.disconnect();
          }
          expect((await fetch(`${line.server.baseUrl}/api/health`)).status).toBe(200);
        },
      ),
      fuzzRuns(20, 200),
    );
  });
});
