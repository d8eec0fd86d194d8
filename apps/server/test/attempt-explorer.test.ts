// The attempt explorer through the real server runtime, Postgres and Redis (issue #10 §2): a
// seeded history of 130 attempts, three to a timestamp, paged newest first without loss or
// repeat; each filter against the seed itself; a bad cursor; one attempt with its retry chain;
// and the CSV export parsed back to the JSON list's rows. Nothing is mocked.
import {
  ATTEMPT_CSV_COLUMNS,
  AttemptDetail,
  AttemptsResponse,
  type AttemptListItem,
  type ErrorResponse,
} from '@station/contracts';
import { attemptExplorerRepository, firmwarePackageRepository } from '@station/db';
import { parseCsv, uniqueImei } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';
import { seedStationRecord } from './result-fixtures';

const ATTEMPTS = 130;
const BASE = Date.parse('2026-11-20T06:00:00.000Z');
const LABEL_WITH_COMMA = 'LOT 7, tray "B"';
const LABEL_WITH_NEWLINE = 'line one\r\nline two';

/** What the seed wrote, as the API should report it. */
interface Seeded {
  id: string;
  imei: string;
  station: string;
  slot: number;
  packageName: string;
  outcome: 'passed' | 'failed' | 'interrupted';
  errorCode: number | null;
  startedAt: string;
  retryOfId: string | null;
  labelRaw: string | null;
}

let server: TestServer;
let supervisor: string;
let operator: string;
const seeded: Seeded[] = [];
/** Attempts 10 → 40 → 70: one module, each a retry of the one before. */
const chain: string[] = [];

const newestFirst = (a: Seeded, b: Seeded) =>
  b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id);

beforeAll(async () => {
  server = await startTestServer();
  supervisor = await server.signIn('supervisor');
  operator = await server.signIn('operator');
  const prisma = server.db.prisma;
  const a = await seedStationRecord(prisma, 'explore-a', 4);
  const b = await seedStationRecord(prisma, 'explore-b', 2);
  const other = await firmwarePackageRepository.upsertFromStation(prisma, {
    packageId: 'demo-OTHER01',
    digest: 'b'.repeat(64),
    revision: 'OTHER01',
    platform: 'MT6261',
  });
  const chainImei = uniqueImei();
  const chainModule = await prisma.module.create({ data: { imei: chainImei } });
  // The chain was started by the demo operator's scan; the other attempts by a script.
  const { id: operatorId } = await prisma.user.findUniqueOrThrow({
    where: { username: 'operator' },
  });
  for (let i = 0; i < ATTEMPTS; i++) {
    const onB = i % 5 === 0;
    const seed = onB ? b : a;
    const slot = onB ? (i % 2) + 1 : (i % 4) + 1;
    const inChain = i === 10 || i === 40 || i === 70;
    const imei = inChain ? chainImei : uniqueImei();
    const module = inChain ? chainModule : await prisma.module.create({ data: { imei } });
    const outcome = i % 11 === 0 ? 'interrupted' : i % 3 === 0 || i === 10 ? 'failed' : 'passed';
    const errorCode = outcome === 'failed' ? (i % 2 === 0 ? 2004 : 3011) : null;
    // Three attempts to a timestamp: the tie-breaker (id) decides their order.
    const startedAt = new Date(BASE + Math.floor(i / 3) * 60_000);
    const labelRaw = i === 4 ? LABEL_WITH_COMMA : i === 6 ? LABEL_WITH_NEWLINE : null;
    const retryOfId = inChain && chain.length > 0 ? chain.at(-1)! : null;
    const row = await prisma.flashAttempt.create({
      data: {
        moduleId: module.id,
        stationId: seed.stationId,
        slotId: seed.slotIds[slot - 1]!,
        packageId: i % 7 === 0 ? other.id : seed.packageId,
        startedAt,
        endedAt: new Date(startedAt.getTime() + 42_000),
        outcome,
        stageReached: outcome === 'passed' ? 'postflight' : 'write',
        errorCode,
        errorName: errorCode === null ? null : `ERR_${errorCode}`,
        engineerHint: errorCode === null ? null : 'check the cable',
        stageTimings: { connect: 1200, download: 30_000 },
        baud: 921600,
        retryOfId,
        labelRaw,
        operatorId: inChain ? operatorId : null,
      },
    });
    if (inChain) chain.push(row.id);
    seeded.push({
      id: row.id,
      imei,
      station: seed.code,
      slot,
      packageName: i % 7 === 0 ? 'demo-OTHER01' : 'demo-MC60CAR01A13',
      outcome,
      errorCode,
      startedAt: startedAt.toISOString(),
      retryOfId,
      labelRaw,
    });
  }
  seeded.sort(newestFirst);
}, 120_000);

afterAll(async () => {
  await server?.close();
}, 60_000);

const get = (path: string, cookie = supervisor) =>
  fetch(`${server.baseUrl}${path}`, { headers: { cookie } });

/** Every page of `query`, following nextCursor, `limit` at a time. */
async function allPages(query: string, limit = 50): Promise<AttemptListItem[][]> {
  const pages: AttemptListItem[][] = [];
  let cursor: string | null = null;
  do {
    const after: string = cursor === null ? '' : `&cursor=${cursor}`;
    const response = await get(`/api/attempts?limit=${limit}&${query}${after}`);
    expect(response.status, await response.clone().text()).toBe(200);
    const body = AttemptsResponse.parse(await response.json());
    pages.push(body.items);
    cursor = body.nextCursor;
  } while (cursor !== null);
  return pages;
}

const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe('GET /api/attempts', () => {
  it('pages through every attempt exactly once, newest first, ties broken by id', async () => {
    const pages = await allPages('', 50);
    expect(pages.map((p) => p.length)).toEqual([50, 50, 30]);
    expect(ids(pages.flat())).toEqual(ids(seeded));
  });

  it('reports each attempt as it was written', async () => {
    const [first] = await allPages('', 500);
    const byId = new Map(first!.map((item) => [item.id, item]));
    for (const want of seeded) {
      const got = byId.get(want.id)!;
      expect(got).toMatchObject({
        imei: want.imei,
        station: want.station,
        slot: want.slot,
        packageName: want.packageName,
        outcome: want.outcome,
        errorCode: want.errorCode,
        startedAt: want.startedAt,
        retryOfId: want.retryOfId,
        labelRaw: want.labelRaw,
        durationMs: 42_000,
      });
    }
  });

  const filters: [string, string, (s: Seeded) => boolean][] = [
    ['station', 'station=explore-b', (s) => s.station === 'explore-b'],
    ['slot', 'slot=3', (s) => s.slot === 3],
    [
      'station and slot',
      'station=explore-a&slot=2',
      (s) => s.station === 'explore-a' && s.slot === 2,
    ],
    ['errorCode', 'errorCode=3011', (s) => s.errorCode === 3011],
    ['outcome', 'outcome=interrupted', (s) => s.outcome === 'interrupted'],
    ['package', 'package=demo-OTHER01', (s) => s.packageName === 'demo-OTHER01'],
    [
      'from and to',
      `from=${new Date(BASE + 10 * 60_000).toISOString()}&to=${new Date(BASE + 20 * 60_000).toISOString()}`,
      (s) =>
        Date.parse(s.startedAt) >= BASE + 10 * 60_000 &&
        Date.parse(s.startedAt) < BASE + 20 * 60_000,
    ],
  ];
  it.each(filters)('filters by %s, across pages', async (_name, query, keep) => {
    const want = seeded.filter(keep);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(seeded.length);
    expect(ids((await allPages(query, 7)).flat())).toEqual(ids(want));
  });

  it('answers an empty page for a station, slot or package nobody has', async () => {
    for (const query of ['station=nowhere', 'station=explore-b&slot=4', 'package=nothing']) {
      expect(await allPages(query), query).toEqual([[]]);
    }
  });

  it('filters by imei: the retry chain module, newest first', async () => {
    const imei = seeded.find((s) => s.id === chain[0])!.imei;
    expect(ids((await allPages(`imei=${imei}`)).flat())).toEqual([...chain].reverse());
  });

  it.each([
    ['a cursor it did not write', 'cursor=bm90LWEtY3Vyc29y'],
    ['a cursor that is not base64url', 'cursor=%2B%2B%2B'],
    ['a limit above the maximum', 'limit=501'],
    ['an unknown outcome', 'outcome=exploded'],
    ['a mistyped IMEI', 'imei=123456789012345'],
    ['a window that ends before it starts', 'from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z'],
  ])('refuses %s with 400 and one sentence', async (_name, query) => {
    const response = await get(`/api/attempts?${query}`);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorResponse;
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('refuses an operator', async () => {
    for (const path of ['/api/attempts', '/api/attempts.csv', `/api/attempts/${chain[0]}`]) {
      const response = await get(path, operator);
      expect(response.status, path).toBe(403);
    }
  });
});

describe('GET /api/attempts/:id', () => {
  it('shows the attempt with its hints, timings and the retry chain first to last', async () => {
    for (const id of chain) {
      const response = await get(`/api/attempts/${id}`);
      expect(response.status).toBe(200);
      const detail = AttemptDetail.parse(await response.json());
      expect(detail.id).toBe(id);
      expect(detail.retryChain).toEqual(chain);
      expect(detail.stageTimings).toEqual({ connect: 1200, download: 30_000 });
      expect(detail.trace).toBeNull();
      expect(detail.operator).toBe('operator');
    }
    const failed = AttemptDetail.parse(await (await get(`/api/attempts/${chain[0]}`)).json());
    expect(failed).toMatchObject({ outcome: 'failed', engineerHint: 'check the cable' });
  });

  it('shows a lone attempt as a chain of one', async () => {
    const lone = seeded.find((s) => !chain.includes(s.id))!;
    const detail = AttemptDetail.parse(await (await get(`/api/attempts/${lone.id}`)).json());
    expect(detail.retryChain).toEqual([lone.id]);
    expect(detail.operator).toBeNull();
  });

  it('answers 404 for an attempt nobody has and 400 for an id that is not one', async () => {
    expect((await get('/api/attempts/00000000-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await get('/api/attempts/not-an-id')).status).toBe(400);
  });
});

const asCsvField = (value: unknown) => (value === null ? '' : String(value));

describe('GET /api/attempts.csv', () => {
  it('streams the filtered list as RFC 4180 CSV, the same rows as the JSON list', async () => {
    const from = new Date(BASE).toISOString();
    const to = new Date(BASE + 3 * 60_000).toISOString();
    const query = `station=explore-a&from=${from}&to=${to}`;
    const response = await get(`/api/attempts.csv?${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename=attempts-20261120T060000000Z-20261120T060300000Z.csv',
    );
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual([...ATTEMPT_CSV_COLUMNS]);
    const list = (await allPages(query)).flat();
    expect(list.map((item) => item.labelRaw)).toContain(LABEL_WITH_COMMA);
    expect(list.map((item) => item.labelRaw)).toContain(LABEL_WITH_NEWLINE);
    expect(rows).toEqual(
      list.map((item) => ATTEMPT_CSV_COLUMNS.map((column) => asCsvField(item[column]))),
    );
  });

  it('exports every attempt without a limit, in batches, newest first', async () => {
    const response = await get('/api/attempts.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename=attempts-start-now.csv',
    );
    const [, ...rows] = parseCsv(await response.text());
    expect(rows.map((row) => row[0])).toEqual(ids(seeded));
  });

  it('reads the export in keyset batches that lose and repeat nothing', async () => {
    const read: string[] = [];
    for await (const row of attemptExplorerRepository.each(server.db.prisma, {}, 7)) {
      read.push(row.id);
    }
    expect(read).toEqual(ids(seeded));
  });

  it('refuses a bad filter with 400', async () => {
    expect((await get('/api/attempts.csv?slot=zero')).status).toBe(400);
  });
});
