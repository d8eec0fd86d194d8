// The attempt explorer (issue #10 §5) in a real browser against the shared line (test/support/
// global-setup.ts: the real server, Postgres, Redis and built dashboard), with a station agent of
// this file's own and its emulated jig, so its attempts are the only ones on that station. A module
// with a bad flash sector fails in the write stage (4008) and the line retries it at lower bauds
// (a chain of three); a healthy one passes. An engineer scans the failing module's label into the
// search box, sees its attempts, opens the last, sees the error and the trace, follows the retry
// chain, goes back and downloads the filtered CSV, which parses back to the table's rows. The
// trace is the station's own (it records every failed attempt): its refused WRITE is the row that
// says FAILED; the passed attempt has none and says so. Paging walks the station's attempts two to
// a page. An operator is offered no explorer and is refused.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ATTEMPT_CSV_COLUMNS,
  AttemptDetail,
  AttemptsResponse,
  describeTraceEntry,
  type AttemptListItem,
} from '@station/contracts';
import { parseCsv, repoRoot, uniquePrefix, waitFor, WaitAbortedError } from '@station/testkit';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_TRACE } from '../src/lib/trace-rows';
import { byTestId, FLASH_TIMEOUT_MS, UI_TIMEOUT_MS, useBrowser } from './support/browser';
import { seatFreshModule } from './support/jig-modules';
import { startJigStation } from './support/line-stack';
import { apiAs, asUser, OPERATOR_BADGE, signInThroughApi, type SignedIn } from './support/people';
import { lineLogs, sharedLine } from './support/shared-line';

const session = useBrowser();
const line = sharedLine();
const { serverUrl, dashboardUrl } = line;
const ownStation = uniquePrefix('explorer-jig');
/** Inside the demo package's ROM image: every WRITE there is refused (S_FT_DOWNLOAD_FAIL). */
const BAD_SECTOR = 'badSector:0x24000';
/** 921600, then 460800 and 115200 (RETRY_BAUD_FLOOR's default): docs/station.md "Retries". */
const CHAIN_LENGTH = 3;
/** Kept after the run (the scratch folder is not): look at them. `.run/` is git-ignored. */
const SHOTS_DIR = join(repoRoot, '.run/test-output/explorer');

let engineer: SignedIn;
let failingImei: string;
/** As a scanner sends it; the comma makes its CSV field a quoted one. */
let failingLabel: string;
/** The failing chain, newest first, as the API lists it. */
let chain: AttemptListItem[];

/** `GET path` as the engineer, parsed with its contract. */
async function api<T>(path: string, schema: { parse(body: unknown): T }): Promise<T> {
  const reply = await apiAs(engineer, `${serverUrl}${path}`);
  if (reply.status !== 200) throw new Error(`${path} answered ${reply.status}: ${reply.body}`);
  return schema.parse(JSON.parse(reply.body));
}

/** Scans `body` at the file's station and waits until `imei` has `count` finished attempts. */
async function flashAndSettle(body: object, imei: string, count: number) {
  const started = await apiAs(line.supervisor, `${serverUrl}/api/flash-jobs`, {
    method: 'POST',
    json: { stationId: ownStation, ...body },
  });
  expect(started.status, started.body).toBe(202);
  return waitFor(
    `${count} finished attempt(s) on ${imei}`,
    async () => {
      const { items } = await api(`/api/attempts?imei=${imei}`, AttemptsResponse);
      return items.length === count && items.every((i) => i.outcome !== 'running') && items;
    },
    { timeoutMs: CHAIN_LENGTH * FLASH_TIMEOUT_MS, intervalMs: 500 },
  ).catch(async (error: unknown) => {
    throw new Error(`the flash of ${imei} did not settle:\n${await lineLogs(line)}`, {
      cause: error,
    });
  });
}

beforeAll(
  async () => {
    engineer = await signInThroughApi(serverUrl, asUser('engineer'));
    const station = session.tracked(
      await startJigStation(line, { stationId: ownStation, slots: 2 }),
    );
    await waitFor(
      `station ${ownStation} to show as connected`,
      async () => {
        if (!station.running())
          throw new WaitAbortedError(`it exited:\n${station.current.output()}`);
        const reply = await apiAs(line.supervisor, `${serverUrl}/api/stations/${ownStation}`);
        return (
          reply.status === 200 && (JSON.parse(reply.body) as { connected?: boolean }).connected
        );
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    failingImei = await seatFreshModule(station.jigDir, 1, [BAD_SECTOR]);
    failingLabel = `IMEI:${failingImei},SN:MPB19LA0004711`;
    const healthyImei = await seatFreshModule(station.jigDir, 2);
    chain = await flashAndSettle({ slot: 1, label: failingLabel }, failingImei, CHAIN_LENGTH);
    await flashAndSettle({ slot: 2, imei: healthyImei }, healthyImei, 1);
  },
  4 * CHAIN_LENGTH * FLASH_TIMEOUT_MS,
);

/** The rows the explorer shows once the page for the current address has loaded: their ids. */
async function shownRows(page: Page): Promise<string[]> {
  const search = new URL(page.url()).search.replace(/^\?/, '');
  await page
    .locator(`[data-testid="attempts-page"][data-search="${search}"]`)
    .waitFor({ timeout: UI_TIMEOUT_MS });
  return byTestId(page, 'attempt-row').evaluateAll((rows) =>
    rows.map((row) => row.getAttribute('data-attempt-id') ?? ''),
  );
}

/** A CSV record as the API's list item would be written: null as an empty field. */
const csvRecord = (item: AttemptListItem) =>
  ATTEMPT_CSV_COLUMNS.map((column) => (item[column] === null ? '' : String(item[column])));

describe('the attempt explorer', () => {
  it('finds a failed module by its scanned label, opens the attempt, follows the chain and downloads the CSV', async () => {
    const { page, crashes } = await session.openPage(`${dashboardUrl}/explorer`, { as: engineer });
    const search = byTestId(page, 'explorer-search');
    await search.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(page, 'nav-item').allInnerTexts()).toEqual([
      'Line view',
      'Yield',
      'Attempts',
      'Firmware',
    ]);

    // A misread label is refused in the scan path's words, and the list stays as it was.
    await search.focus();
    await page.keyboard.type('SN-4711-X');
    await page.keyboard.press('Enter');
    expect(await byTestId(page, 'explorer-search-problem').innerText()).toBe(
      'Label "SN-4711-X" not readable: no label format matched (known: imei, keyed, model-imei-sn, simcom-pipe): ' +
        "scan the module's IMEI barcode",
    );
    expect(new URL(page.url()).search).toBe('');

    // The scanner types the whole label and Enter into the focused box.
    await search.fill('');
    await page.keyboard.type(failingLabel);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${dashboardUrl}/explorer?imei=${failingImei}`, {
      timeout: UI_TIMEOUT_MS,
    });
    expect(await shownRows(page)).toEqual(chain.map((item) => item.id));
    expect(await byTestId(page, 'attempt-outcome').allInnerTexts()).toEqual(
      chain.map(() => 'FAIL ✕'),
    );
    expect(await search.inputValue()).toBe(failingImei);

    // The newest is the last try of the chain: its error, hints and trace.
    const last = chain[0]!;
    await page.locator(`[data-attempt-id="${last.id}"] [data-testid="attempt-link"]`).click();
    await page
      .locator(`[data-testid="attempt-page"][data-attempt-id="${last.id}"]`)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    const detail = await api(`/api/attempts/${last.id}`, AttemptDetail);
    expect(await byTestId(page, 'attempt-error-code').innerText()).toBe('4008 S_FT_DOWNLOAD_FAIL');
    expect(await byTestId(page, 'attempt-stage').innerText()).toBe('write');
    expect(await byTestId(page, 'attempt-engineer-hint').innerText()).toBe(
      `Engineer hint: ${detail.engineerHint}`,
    );
    // Started by the supervisor's scan (through the API); a retry keeps who started the chain.
    expect(await byTestId(page, 'attempt-operator').innerText()).toBe('supervisor');
    // The server opens a retry itself: no label was scanned for it.
    expect(await byTestId(page, 'attempt-label').innerText()).toBe('—');
    expect(await byTestId(page, 'stage-bar').count()).toBe(
      Object.keys(detail.stageTimings ?? {}).length,
    );
    expect(await byTestId(page, 'stage-bar').count()).toBeGreaterThan(0);
    // The station's trace of that try, decoded: its last entry is the refused WRITE.
    expect(detail.trace).not.toBeNull();
    const trace = detail.trace!;
    const failing = trace.entries.filter((entry) => !entry.ok);
    expect(failing).toEqual([trace.entries.at(-1)]);
    expect(await byTestId(page, 'trace-entry').count()).toBe(trace.entries.length);
    expect(await byTestId(page, 'trace-gap').count()).toBe(trace.dropped > 0 ? 1 : 0);
    const failedRow = page.locator('[data-testid="trace-entry"][data-ok="false"]');
    expect(await failedRow.count()).toBe(1);
    const failedText = await failedRow.locator('[data-testid="trace-text"]').innerText();
    expect(failedText).toBe(`FAILED ${describeTraceEntry(failing[0]!)}`);
    expect(failedText).toMatch(/^FAILED WRITE packet \d+ → NACK error 3014 ✗$/);
    expect(await byTestId(page, 'trace-none').count()).toBe(0);
    await mkdir(SHOTS_DIR, { recursive: true });
    await page.screenshot({ path: join(SHOTS_DIR, 'attempt.png'), fullPage: true });

    // The chain, first try to last: this one is the third; the first is a link away.
    expect(detail.retryChain).toEqual(chain.map((item) => item.id).reverse());
    expect(await byTestId(page, 'retry-current').innerText()).toBe('Try 3 of 3 (this one)');
    await byTestId(page, 'retry-link').filter({ hasText: 'Try 1 of 3' }).click();
    const first = chain.at(-1)!;
    await page
      .locator(`[data-testid="attempt-page"][data-attempt-id="${first.id}"]`)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(page, 'retry-current').innerText()).toBe('Try 1 of 3 (this one)');
    expect(await byTestId(page, 'attempt-error-code').innerText()).toBe('4008 S_FT_DOWNLOAD_FAIL');

    // Back twice: the filtered list again, as the address says.
    await page.goBack();
    await page.goBack();
    await page.waitForURL(`${dashboardUrl}/explorer?imei=${failingImei}`, {
      timeout: UI_TIMEOUT_MS,
    });
    const rows = await shownRows(page);
    expect(rows).toEqual(chain.map((item) => item.id));
    await page.screenshot({ path: join(SHOTS_DIR, 'explorer.png'), fullPage: true });

    // The CSV of exactly this filter, downloaded by the browser with its session cookie.
    const csvLink = byTestId(page, 'csv-download');
    expect(await csvLink.getAttribute('href')).toBe(
      `${serverUrl}/api/attempts.csv?imei=${failingImei}`,
    );
    const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    const saved = join(session.scratchDir(), 'attempts.csv');
    await download.saveAs(saved);
    const [header, ...records] = parseCsv(await readFile(saved, 'utf8'));
    expect(header).toEqual([...ATTEMPT_CSV_COLUMNS]);
    expect(records.map((record) => record[0])).toEqual(rows);
    expect(records).toEqual(chain.map(csvRecord));
    // The scanned label's comma came through a quoted field.
    expect(records.at(-1)?.at(-1)).toBe(failingLabel);
    expect(crashes).toEqual([]);
  }, 120_000);

  it("shows the module's history as one retry chain, each try linking to its attempt", async () => {
    const { page, crashes } = await session.openPage(
      `${dashboardUrl}/explorer/modules/${failingImei}`,
      { as: engineer },
    );
    const group = byTestId(page, 'timeline-chain');
    await group.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await group.count()).toBe(1);
    expect(await group.getAttribute('data-outcome')).toBe('failed');
    const tries = group.locator('[data-testid="timeline-attempt"]');
    expect(
      await tries.evaluateAll((items) => items.map((i) => i.getAttribute('data-attempt-id'))),
    ).toEqual(chain.map((item) => item.id).reverse());
    expect(await tries.first().innerText()).toContain('4008 S_FT_DOWNLOAD_FAIL at write');
    expect(await byTestId(page, 'module-status').innerText()).toMatch(/^failed/);
    await mkdir(SHOTS_DIR, { recursive: true });
    await page.screenshot({ path: join(SHOTS_DIR, 'module.png'), fullPage: true });
    await tries.last().locator('a').click();
    await page
      .locator(`[data-testid="attempt-page"][data-attempt-id="${chain[0]!.id}"]`)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(crashes).toEqual([]);
  });

  it('pages the station two to a page with Older and Newer, no attempt twice', async () => {
    const { items: all } = await api(`/api/attempts?station=${ownStation}`, AttemptsResponse);
    expect(all).toHaveLength(CHAIN_LENGTH + 1);
    const { page, crashes } = await session.openPage(
      `${dashboardUrl}/explorer?station=${ownStation}&limit=2`,
      { as: engineer },
    );
    const first = await shownRows(page);
    expect(first).toEqual(all.slice(0, 2).map((item) => item.id));
    expect(await byTestId(page, 'page-newer').count()).toBe(0);

    await byTestId(page, 'page-older').click();
    await page.waitForURL(/cursor=/, { timeout: UI_TIMEOUT_MS });
    const second = await shownRows(page);
    expect(second).toEqual(all.slice(2, 4).map((item) => item.id));
    expect(await byTestId(page, 'page-older').count()).toBe(0);
    expect(new Set([...first, ...second]).size).toBe(all.length);

    await byTestId(page, 'page-newer').click();
    await page.waitForURL(`${dashboardUrl}/explorer?station=${ownStation}&limit=2`, {
      timeout: UI_TIMEOUT_MS,
    });
    expect(await shownRows(page)).toEqual(first);
    // The back button walks the same way.
    await page.goBack();
    expect(await shownRows(page)).toEqual(second);
    expect(crashes).toEqual([]);
  });

  it('says so when an attempt has no trace: a pass, with TRACE_PASSED off', async () => {
    const { items } = await api(
      `/api/attempts?station=${ownStation}&outcome=passed`,
      AttemptsResponse,
    );
    expect(items).toHaveLength(1);
    const { page, crashes } = await session.openPage(
      `${dashboardUrl}/explorer/attempts/${items[0]!.id}`,
      { as: engineer },
    );
    const none = byTestId(page, 'trace-none');
    await none.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await none.innerText()).toBe(NO_TRACE);
    expect(await byTestId(page, 'attempt-outcome').innerText()).toBe('PASS ✓');
    expect(await byTestId(page, 'trace-entry').count()).toBe(0);
    expect(crashes).toEqual([]);
  });

  it('names a filter the API refuses and shows no list', async () => {
    const { page, crashes } = await session.openPage(`${dashboardUrl}/explorer`, { as: engineer });
    const slot = byTestId(page, 'filter-slot');
    await slot.waitFor({ timeout: UI_TIMEOUT_MS });
    await slot.fill('0');
    await byTestId(page, 'filter-apply').click();
    expect(await byTestId(page, 'filter-problem').innerText()).toBe(
      'Slot must be a whole number from 1 to 256',
    );
    expect(new URL(page.url()).search).toBe('');

    await page.goto(`${dashboardUrl}/explorer?outcome=broken`);
    const notice = byTestId(page, 'explorer-bad-filter');
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await notice.innerText()).toContain(
      'Outcome must be one of running, passed, failed, interrupted, canceled',
    );
    expect(await byTestId(page, 'attempts-page').count()).toBe(0);
    expect(crashes).toEqual([]);
  });

  it('is not offered to an operator, whose page says so and whose requests are refused', async () => {
    const operator = await signInThroughApi(serverUrl, {
      badge: OPERATOR_BADGE,
      stationId: line.stationId,
    });
    const { page, crashes } = await session.openPage(`${dashboardUrl}/explorer`, { as: operator });
    const notice = byTestId(page, 'not-for-role');
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await notice.innerText()).toContain('The attempt explorer is not for your role');
    expect(await byTestId(page, 'nav-item').allInnerTexts()).toEqual(['Line view']);
    expect(await byTestId(page, 'explorer-search').count()).toBe(0);
    for (const path of [
      '/api/attempts',
      `/api/attempts.csv?imei=${failingImei}`,
      `/api/attempts/${chain[0]!.id}`,
      `/api/modules/${failingImei}`,
    ]) {
      expect((await apiAs(operator, `${serverUrl}${path}`)).status, path).toBe(403);
    }
    expect(crashes).toEqual([]);
  });
});
