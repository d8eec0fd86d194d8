// Each input the fuzz tests found answered outside the contract, kept as a plain example so the fix
// stays fixed whatever seed the fuzzers run with: the router's own refusals, a stray OPTIONS,
// a malformed or over-long socket event. Real server runtime, Postgres and Redis.
import { SESSION_COOKIE, type ErrorResponse } from '@station/contracts';
import { waitFor } from '@station/testkit';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers';

let server: TestServer;
let socket: Socket;

beforeAll(async () => {
  server = await startTestServer();
  const cookie = await server.signIn('supervisor');
  expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
  socket = connect(server.baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie },
  });
  await waitFor('socket connected', () => socket.connected);
}, 90_000);

afterAll(async () => {
  socket?.disconnect();
  await server?.close();
}, 60_000);

const answer = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${server.baseUrl}${path}`, init);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (await response.json()) as ErrorResponse,
  };
};

describe('REST inputs the fuzzer found', () => {
  it('a path parameter over 100 characters: 414 in the error shape, the path not echoed', async () => {
    const refused = await answer(`/api/stations/${'x'.repeat(101)}`);
    expect(refused).toEqual({
      status: 414,
      type: expect.stringContaining('application/json'),
      body: {
        error: {
          code: 'PATH_PARAMETER_TOO_LONG',
          message: 'A path parameter is longer than 100 characters',
        },
      },
    });
  });

  it('a malformed %-escape in a path parameter: 400 BAD_URL in the error shape', async () => {
    const refused = await answer('/api/stations/station-1/slots/%/release', { method: 'POST' });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: {
        code: 'BAD_URL',
        message: 'The URL is not valid: a path segment has a malformed %-escape',
      },
    });
  });

  it('an OPTIONS that is not a CORS preflight: 400 INVALID_PREFLIGHT in the error shape', async () => {
    const refused = await answer('/api/health', { method: 'OPTIONS' });
    expect(refused).toEqual({
      status: 400,
      type: expect.stringContaining('application/json'),
      body: {
        error: {
          code: 'INVALID_PREFLIGHT',
          message: 'A CORS preflight needs the Origin and Access-Control-Request-Method headers',
        },
      },
    });
    // A real preflight from an allowed origin is still answered.
    const preflight = await fetch(`${server.baseUrl}/api/stations`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
  });
});

describe('firmware upload inputs the fuzzer found', () => {
  it('a multipart content type over bytes that are not multipart: 400, not a server failure', async () => {
    const engineer = await server.signIn('engineer');
    const refused = await answer('/api/firmware-packages', {
      method: 'POST',
      headers: { cookie: engineer, 'content-type': 'multipart/form-data; boundary=fuzz' },
      body: Uint8Array.from([35, 75, 203, 119, 139, 10, 169, 134]),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('MALFORMED_MULTIPART');
    expect(refused.body.error.message).toMatch(/^The multipart body could not be read: ./);
  });
});

describe('socket events the fuzzer found', () => {
  it('a malformed stations:snapshot is answered with a refusal, not left waiting', async () => {
    expect(await socket.timeout(10_000).emitWithAck('stations:snapshot', {})).toEqual({
      v: 1,
      ok: false,
      error: 'stations:snapshot needs { v: 1 }',
    });
  });

  it('an event with an extra argument is answered through its last argument, the ack', async () => {
    expect(await socket.timeout(10_000).emitWithAck('stations:snapshot', { v: 1 }, {})).toEqual({
      v: 1,
      stations: [],
    });
    expect(
      await socket.timeout(10_000).emitWithAck('station:watch', { v: 1, stationId: 'nope' }, 7),
    ).toEqual({ v: 1, ok: false, error: 'Station nope is not known' });
  });
});
