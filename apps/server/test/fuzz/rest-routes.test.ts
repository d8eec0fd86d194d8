// Property-based fuzzing of every REST route the role matrix lists (issue #12 §6), on the real
// server runtime, Postgres and Redis: every caller, generated path parameters, queries, bodies and
// content types. Whatever arrives: never a 5xx, every refusal a JSON error of the contract's shape
// with a message, no write from a refused request, no polluted prototype, and the server still
// answers /api/health. A route added to the matrix is fuzzed with no edit here.
import { ErrorResponse } from '@station/contracts';
import { databaseFingerprint } from '@station/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_MATRIX } from '../../src/auth/role-matrix';
import { fuzzRuns } from './fuzz-settings';
import { startFuzzLine, type FuzzLine } from './fuzz-line';
import { routeRequests, type FuzzRequest, type OpenApiDocument } from './route-requests';

let line: FuzzLine;
let doc: OpenApiDocument;

beforeAll(async () => {
  line = await startFuzzLine();
  doc = line.server.runtime.app.swagger() as unknown as OpenApiDocument;
}, 90_000);

afterAll(async () => {
  await line?.close();
}, 60_000);

/** Refusals that are recorded on purpose: a failed sign-in is audited (docs/security.md). */
const AUDITED_REFUSALS: Record<string, string[]> = {
  'POST /api/session': ['session.sign_in_failed'],
};
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request's headers: its caller's credentials first (a sign-in writes), then its own. */
const headersOf = async (request: FuzzRequest) => ({
  ...(await line.headersOf(request.caller, request.method, request.path)),
  ...request.headers,
});

async function send(request: FuzzRequest, headers: Record<string, string>) {
  const response = await fetch(`${line.server.baseUrl}${request.path}`, {
    method: request.method,
    headers,
    redirect: 'manual',
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text };
}

/** What an error answer must be: JSON `{ error: { code, message } }` with a message. */
function expectErrorBody(answer: { status: number; type: string; text: string }) {
  expect(answer.type).toContain('application/json');
  const parsed = ErrorResponse.safeParse(JSON.parse(answer.text));
  expect(parsed.success, answer.text).toBe(true);
  expect(parsed.data!.error.message.trim()).not.toBe('');
}

describe('every REST route under generated input', { timeout: 120_000 }, () => {
  it.each(Object.keys(ROUTE_MATRIX))('%s', async (routeKey) => {
    const writes = !READS.has(routeKey.split(' ')[0]!);
    const fingerprint = () =>
      databaseFingerprint(line.server.db.prisma, {
        allowedAuditActions: AUDITED_REFUSALS[routeKey] ?? [],
      });
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(routeRequests(routeKey, doc), async (request) => {
        const headers = await headersOf(request);
        const before = writes ? await fingerprint() : null;
        const answer = await send(request, headers);
        statuses.add(answer.status);
        expect(answer.status, answer.text).toBeLessThan(500);
        if (answer.status >= 400) {
          expectErrorBody(answer);
          if (before) expect(await fingerprint()).toEqual(before);
        }
        // Nothing a request carried reached Object.prototype of this (the server's) process.
        expect(Object.keys(Object.prototype)).toEqual([]);
        expect((await fetch(`${line.server.baseUrl}/api/health`)).status).toBe(200);
      }),
      fuzzRuns(25, 250),
    );
    // Not all refused at the door: some inputs reached the route's own checks or handler.
    const pastGuard = [...statuses].filter((status) => status !== 401 && status !== 403);
    expect(pastGuard, `statuses seen: ${[...statuses].join(', ')}`).not.toEqual([]);
  });
});
