// The dashboard in a real browser. Real: `next build` + `next start` of this app, apps/server as a
// child process on a fresh migrated Postgres database and a private Redis prefix, and Debian's
// Chromium driven by playwright-core. The one fake is startCannedHealthServer, for what the real
// server cannot be made to say from a test (a body outside the contract, Redis down).
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imeiCheckDigit } from '@station/contracts';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCannedHealthServer } from './support/canned-health-server';
import { ensureDashboardBuild } from './support/dashboard-build';
import { freePort } from './support/free-port';
import { startDashboard, startServer, startStation } from './support/launchers';
import { waitForHttp, type RunningProcess } from './support/processes';
import { inspectScreenshot } from './support/screenshot';
import { createMigratedDatabase, deleteRedisKeys, redisKeys, uniqueName } from './support/services';

const VIEWPORT = { width: 1280, height: 800 };
const UI_TIMEOUT_MS = 20_000;
// Colours from globals.css: a rendered health panel shows them, a blank page cannot.
const OK_GREEN = '#2ecc71';
const BAD_RED = '#ff5c5c';

const cleanups: (() => Promise<unknown>)[] = [];
let browser: Browser;
let shotsDir: string;

/** Starts a process and makes sure it is stopped after the file, whatever happens. */
function tracked(proc: RunningProcess): RunningProcess {
  cleanups.push(() => proc.stop());
  return proc;
}

async function openPage(url: string): Promise<{ page: Page; crashes: Error[] }> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  cleanups.push(() => page.close());
  const crashes: Error[] = [];
  page.on('pageerror', (error) => crashes.push(error));
  await page.goto(url);
  return { page, crashes };
}

const byTestId = (page: Page, id: string, state?: string) =>
  page.locator(state ? `[data-testid="${id}"][data-state="${state}"]` : `[data-testid="${id}"]`);

beforeAll(async () => {
  await ensureDashboardBuild();
  shotsDir = await mkdtemp(join(tmpdir(), 'dashboard-shots-'));
  cleanups.push(() => rm(shotsDir, { recursive: true, force: true }));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-gpu',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  cleanups.push(() => browser.close());
}, 300_000);

afterAll(async () => {
  const failures: unknown[] = [];
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
}, 60_000);

describe('line view against the real server', () => {
  let serverUrl: string;
  let dashboardUrl: string;
  let server: RunningProcess;
  let startRealServer: () => RunningProcess;
  const redisPrefix = uniqueName('dashtest');

  beforeAll(async () => {
    const [serverPort, dashboardPort] = [await freePort(), await freePort()];
    serverUrl = `http://127.0.0.1:${serverPort}`;
    dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
    const database = await createMigratedDatabase();
    cleanups.push(async () => {
      await database.drop();
      await deleteRedisKeys(redisPrefix);
      const left = await redisKeys(redisPrefix);
      if (left.length > 0) throw new Error(`Redis keys left behind: ${left.join(', ')}`);
    });

    startRealServer = () =>
      tracked(
        startServer({
          port: serverPort,
          databaseUrl: database.url,
          redisPrefix,
          dashboardOrigin: dashboardUrl,
        }),
      );
    server = startRealServer();
    const dashboard = tracked(startDashboard(dashboardPort, serverUrl));
    await Promise.all([
      waitForHttp(`${serverUrl}/api/health`, server),
      waitForHttp(dashboardUrl, dashboard),
    ]);
  }, 120_000);

  it('renders health from the server, the empty line, and a non-blank screenshot', async () => {
    const { page, crashes } = await openPage(dashboardUrl);

    await byTestId(page, 'health-postgres', 'ok').waitFor({ timeout: UI_TIMEOUT_MS });
    await byTestId(page, 'health-redis', 'ok').waitFor({ timeout: UI_TIMEOUT_MS });
    await byTestId(page, 'live-link', 'live').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(page, 'health-server').getAttribute('data-state')).toBe('ok');
    expect(await page.locator('h1').textContent()).toBe('Flash Station · Line view');
    expect(await byTestId(page, 'no-stations').textContent()).toContain('No station connected');
    expect(await byTestId(page, 'station').count()).toBe(0);
    expect(
      await page
        .locator(
          '[data-testid="server-unreachable"], [data-testid="server-invalid"], [data-testid="live-error"]',
        )
        .count(),
    ).toBe(0);

    const shot = join(shotsDir, 'line-view.png');
    await page.screenshot({ path: shot });
    const facts = await inspectScreenshot(shot);
    expect([facts.width, facts.height]).toEqual([VIEWPORT.width, VIEWPORT.height]);
    expect(facts.dominantShare).toBeLessThan(0.97);
    expect(facts.distinctColours).toBeGreaterThan(20);
    expect(facts.count(OK_GREEN)).toBeGreaterThan(100);
    expect(crashes).toEqual([]);
  });

  it('shows a real station agent and its slots arriving and leaving live over socket.io', async () => {
    const { page, crashes } = await openPage(dashboardUrl);
    await byTestId(page, 'no-stations').waitFor({ timeout: UI_TIMEOUT_MS });
    await byTestId(page, 'live-link', 'live').waitFor({ timeout: UI_TIMEOUT_MS });
    // From here the health poll is answered with the empty line it just reported, so whatever
    // the page learns about the station can only have come through socket.io.
    const emptyLine = await (await fetch(`${serverUrl}/api/health`)).text();
    await page.route('**/api/health', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': dashboardUrl },
        body: emptyLine,
      }),
    );

    const stationId = uniqueName('dash-station').replace(/_/g, '-');
    const station = tracked(
      startStation({
        stationId,
        redisPrefix,
        slots: 4,
        jigDir: join(shotsDir, stationId),
        firmwareDir: join(shotsDir, `${stationId}-firmware`),
      }),
    );
    const card = page.locator(`[data-testid="station"][data-station-id="${stationId}"]`);
    await card
      .locator('[data-testid="station-connection"][data-state="connected"]')
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch((error: unknown) => {
        throw new Error(`station never showed as connected:\n${station.output()}`, {
          cause: error,
        });
      });
    expect(await byTestId(page, 'no-stations').count()).toBe(0);
    const tiles = card.locator('[data-testid="slot-tile"]');
    expect(await tiles.count()).toBe(4);
    expect(await tiles.evaluateAll((all) => all.map((t) => t.getAttribute('data-state')))).toEqual([
      'idle',
      'idle',
      'idle',
      'idle',
    ]);
    const first = await tiles.first().innerText();
    expect(first).toMatch(/^1\s+IDLE/);
    expect(first).toContain('slot-01');
    expect(first).toContain(`emulator:${stationId}/slot-01`);
    expect(first).toContain('Emulator');

    await station.stop();
    await card
      .locator('[data-testid="station-connection"][data-state="gone"]')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await tiles.evaluateAll((all) => all.map((t) => t.getAttribute('data-state')))).toEqual([
      'offline',
      'offline',
      'offline',
      'offline',
    ]);
    expect(crashes).toEqual([]);
  });

  it('says the server is not reachable once it stops, and recovers when it is back', async () => {
    const { page: openBefore, crashes } = await openPage(dashboardUrl);
    await byTestId(openBefore, 'health-postgres', 'ok').waitFor({ timeout: UI_TIMEOUT_MS });

    await server.stop();

    const expected = `Server not reachable at ${serverUrl}`;
    await byTestId(openBefore, 'server-unreachable').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(openBefore, 'server-unreachable').textContent()).toContain(expected);
    expect(await byTestId(openBefore, 'server-unreachable').textContent()).toContain(
      `DASHBOARD_ORIGIN on the server: it must list ${dashboardUrl}`,
    );
    expect(await byTestId(openBefore, 'health-server').getAttribute('data-state')).toBe('down');

    const { page: fresh, crashes: freshCrashes } = await openPage(dashboardUrl);
    await byTestId(fresh, 'server-unreachable').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(fresh, 'server-unreachable').textContent()).toContain(expected);
    expect(await byTestId(fresh, 'health-postgres').getAttribute('data-state')).toBe('unknown');
    expect(await byTestId(fresh, 'no-stations').count()).toBe(0);

    const shot = join(shotsDir, 'unreachable.png');
    await fresh.screenshot({ path: shot });
    const facts = await inspectScreenshot(shot);
    expect(facts.count(BAD_RED)).toBeGreaterThan(100);

    server = startRealServer();
    await waitForHttp(`${serverUrl}/api/health`, server);
    for (const page of [openBefore, fresh]) {
      await byTestId(page, 'health-postgres', 'ok').waitFor({ timeout: UI_TIMEOUT_MS });
      await byTestId(page, 'live-link', 'live').waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await byTestId(page, 'server-unreachable').count()).toBe(0);
    }
    expect([...crashes, ...freshCrashes]).toEqual([]);
  }, 90_000);
});

describe('operator flashes a module from a slot tile (real server, agent and emulated jig)', () => {
  let serverUrl: string;
  let dashboardUrl: string;
  let stationId: string;
  let station: RunningProcess;
  const redisPrefix = uniqueName('dashflash');
  // The emulated jig's slot-1 label: packages/emulator `syntheticImei(100_000 + slot)` (the
  // dashboard may not import the emulator, so the same TAC + serial + Luhn digit is built here).
  const SLOT_1_IMEI = `86135903100001${imeiCheckDigit('86135903100001')}`;

  beforeAll(async () => {
    const [serverPort, dashboardPort] = [await freePort(), await freePort()];
    serverUrl = `http://127.0.0.1:${serverPort}`;
    dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
    const database = await createMigratedDatabase();
    cleanups.push(async () => {
      await database.drop();
      await deleteRedisKeys(redisPrefix);
      const left = await redisKeys(redisPrefix);
      if (left.length > 0) throw new Error(`Redis keys left behind: ${left.join(', ')}`);
    });
    const server = tracked(
      startServer({
        port: serverPort,
        databaseUrl: database.url,
        redisPrefix,
        dashboardOrigin: dashboardUrl,
      }),
    );
    const dashboard = tracked(startDashboard(dashboardPort, serverUrl));
    stationId = uniqueName('flash-station').replace(/_/g, '-');
    const workDir = join(shotsDir, stationId);
    station = tracked(
      startStation({
        stationId,
        redisPrefix,
        slots: 3,
        jigDir: join(workDir, 'jig'),
        firmwareDir: join(workDir, 'firmware'),
      }),
    );
    await Promise.all([
      waitForHttp(`${serverUrl}/api/health`, server),
      waitForHttp(dashboardUrl, dashboard),
    ]);
  }, 120_000);

  async function openStation(): Promise<{ page: Page; crashes: Error[]; posts: string[] }> {
    const { page, crashes } = await openPage(dashboardUrl);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/flash-jobs')) posts.push(request.postData() ?? '');
    });
    await page
      .locator(
        `[data-testid="station"][data-station-id="${stationId}"] [data-testid="station-connection"][data-state="connected"]`,
      )
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch((error: unknown) => {
        throw new Error(`station never showed as connected:\n${station.output()}`, {
          cause: error,
        });
      });
    return { page, crashes, posts };
  }

  const tile = (page: Page, slot: number) =>
    page.locator(
      `[data-testid="station"][data-station-id="${stationId}"] [data-testid="slot-tile"][data-slot="${slot}"]`,
    );

  it('refuses a malformed barcode on the tile and sends nothing', async () => {
    const { page, crashes, posts } = await openStation();
    const slot1 = tile(page, 1);
    // The scanner needs no click: slot 1's field has the focus once the station is shown.
    await page.waitForFunction(
      () =>
        document.activeElement?.closest('[data-testid="slot-tile"]')?.getAttribute('data-slot') ===
        '1',
      undefined,
      { timeout: UI_TIMEOUT_MS },
    );
    await page.keyboard.type('SN-4711-X');
    await page.keyboard.press('Enter');

    await tile(page, 1)
      .and(page.locator('[data-state="invalid"]'))
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await slot1.locator('[data-testid="flash-message"]').innerText()).toBe(
      'Not an IMEI label: "SN-4711-X" (an IMEI is exactly 15 digits). Nothing was sent.',
    );
    expect(await slot1.innerText()).toMatch(/^1\s+BAD LABEL/);
    // A wrong check digit is a misread label: refused the same way.
    const misread = `${SLOT_1_IMEI.slice(0, 14)}${(Number(SLOT_1_IMEI[14]) + 1) % 10}`;
    // The field keeps the focus after a refused label, so the operator simply scans again.
    await page.keyboard.type(misread);
    await page.keyboard.press('Enter');
    await slot1
      .locator('[data-testid="flash-message"]', { hasText: misread })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await slot1.locator('[data-testid="flash-message"]').innerText()).toContain(
      'check digit (Luhn) does not match',
    );
    expect(await slot1.locator('[data-testid="scan-input"]').inputValue()).toBe('');
    expect(posts).toEqual([]);
    expect(crashes).toEqual([]);
  });

  it('flashes the slot-1 module: stage and percent, then PASS with the new revision', async () => {
    const { page, crashes, posts } = await openStation();
    const slot1 = tile(page, 1);
    // Every stage/percent the tile shows is recorded in the page: progress may be quick, and a
    // PASS that appeared without any progress on screen must fail this test.
    await slot1.evaluate((element) => {
      const seen: string[] = [];
      (window as unknown as { seenProgress: string[] }).seenProgress = seen;
      new MutationObserver(() => {
        const stage = element
          .querySelector('[data-testid="flash-stage"]')
          ?.getAttribute('data-stage');
        const percent = element.querySelector('[data-testid="flash-percent"]')?.textContent;
        if (stage && percent) seen.push(`${stage} ${percent}`);
      }).observe(element, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });

    await slot1.locator('[data-testid="scan-input"]').fill(SLOT_1_IMEI);
    await slot1.locator('[data-testid="scan-input"]').press('Enter');
    // The scanner's next label goes to the next free slot.
    expect(
      await page.evaluate(() =>
        document.activeElement?.closest('[data-testid="slot-tile"]')?.getAttribute('data-slot'),
      ),
    ).toBe('2');

    const verdict = slot1.locator('[data-testid="flash-verdict"]');
    await verdict.waitFor({ timeout: 120_000 }).catch(async (error: unknown) => {
      const shown = await slot1.innerText();
      throw new Error(`no result on the tile, it shows:\n${shown}\n${station.output()}`, {
        cause: error,
      });
    });
    expect(await verdict.getAttribute('data-outcome')).toBe('passed');
    expect(await slot1.getAttribute('data-state')).toBe('passed');
    expect(await verdict.innerText()).toMatch(/^PASS\b/);
    expect(await slot1.locator('[data-testid="flash-imei"]').innerText()).toBe(
      `IMEI ${SLOT_1_IMEI}`,
    );
    expect(await slot1.locator('[data-testid="flash-revision"]').innerText()).toBe(
      'Now MC60CAR01A13',
    );

    const seen = await page.evaluate(
      () => (window as unknown as { seenProgress: string[] }).seenProgress,
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((entry) => /^[a-z-]+ \d{1,3} %$/.test(entry))).toBe(true);
    expect(posts.map((body) => JSON.parse(body) as unknown)).toEqual([
      { stationId, slot: 1, imei: SLOT_1_IMEI },
    ]);

    const shot = join(shotsDir, 'slot-pass.png');
    await slot1.screenshot({ path: shot });
    const facts = await inspectScreenshot(shot);
    // The PASS panel fills a good part of the tile in the pass colour.
    expect(facts.count(OK_GREEN) / (facts.width * facts.height)).toBeGreaterThan(0.15);
    await page.screenshot({ path: join(shotsDir, 'line-pass.png') });
    expect(crashes).toEqual([]);
  }, 180_000);

  it('shows FAIL with the error and the instruction: a module that is not the scanned label', async () => {
    const { page, crashes } = await openStation();
    const slot3 = tile(page, 3);
    // A valid IMEI, but not the one the module in slot 3 reports (its label is serial 100003).
    const otherLabel = `86135903100009${imeiCheckDigit('86135903100009')}`;
    await slot3.locator('[data-testid="scan-input"]').fill(otherLabel);
    await slot3.locator('[data-testid="scan-input"]').press('Enter');

    const verdict = slot3.locator('[data-testid="flash-verdict"]');
    await verdict.waitFor({ timeout: 120_000 }).catch(async (error: unknown) => {
      const shown = await slot3.innerText();
      throw new Error(`no result on tile 3, it shows:\n${shown}\n${station.output()}`, {
        cause: error,
      });
    });
    expect(await verdict.getAttribute('data-outcome')).toBe('failed');
    expect(await slot3.getAttribute('data-state')).toBe('failed');
    expect(await verdict.innerText()).toMatch(/^FAIL\b/);
    expect(await slot3.locator('[data-testid="flash-error"]').innerText()).toMatch(
      /^FS_IMEI_MISMATCH 9403 at /,
    );
    expect(await slot3.locator('[data-testid="flash-hint"]').innerText()).toBe(
      'Module IMEI differs from its label: put in quarantine tray.',
    );
    // The tile takes the next scan at once.
    expect(await slot3.locator('[data-testid="scan-input"]').isEnabled()).toBe(true);

    const shot = join(shotsDir, 'slot-fail.png');
    await slot3.screenshot({ path: shot });
    const facts = await inspectScreenshot(shot);
    expect(facts.count(BAD_RED) / (facts.width * facts.height)).toBeGreaterThan(0.15);
    expect(crashes).toEqual([]);
  }, 180_000);

  it("shows the server's refusal on the tile: a slot that is already flashing", async () => {
    const { page, crashes, posts } = await openStation();
    const slot2Imei = `86135903100002${imeiCheckDigit('86135903100002')}`;
    // Another client (an engineer's script) starts slot 2 behind this screen's back.
    const direct = await fetch(`${serverUrl}/api/flash-jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stationId, slot: 2, imei: slot2Imei }),
    });
    expect(direct.status).toBe(202);

    const slot2 = tile(page, 2);
    await slot2.locator('[data-testid="scan-input"]').fill(slot2Imei);
    await slot2.locator('[data-testid="scan-input"]').press('Enter');
    await slot2
      .and(page.locator('[data-state="rejected"]'))
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        throw new Error(`tile 2 shows:\n${await slot2.innerText()}`, { cause: error });
      });
    expect(await slot2.locator('[data-testid="flash-message"]').innerText()).toBe(
      `Not started: Slot 2 of station ${stationId} is still flashing: wait for its result (SLOT_BUSY)`,
    );
    expect(await slot2.innerText()).toMatch(/^2\s+NOT STARTED/);
    expect(posts).toHaveLength(1);
    expect(crashes).toEqual([]);
  });
});

describe('line view against canned health answers', () => {
  it('shows what was wrong instead of crashing', async () => {
    const [serverPort, dashboardPort] = [await freePort(), await freePort()];
    const broken = await startCannedHealthServer(serverPort, {
      status: 'ok',
      postgres: { ok: 'yes' },
      redis: { ok: true },
      stations: [],
    });
    cleanups.push(() => broken.close());
    const dashboard = tracked(startDashboard(dashboardPort, broken.url));
    await waitForHttp(`http://127.0.0.1:${dashboardPort}`, dashboard);

    const { page, crashes } = await openPage(`http://127.0.0.1:${dashboardPort}`);
    await byTestId(page, 'server-invalid').waitFor({ timeout: UI_TIMEOUT_MS });
    const text = await byTestId(page, 'server-invalid').textContent();
    expect(text).toContain(
      `The server at ${broken.url} sent a health report this dashboard does not understand`,
    );
    expect(text).toContain('postgres.ok');
    expect(await byTestId(page, 'health-postgres').getAttribute('data-state')).toBe('unknown');
    expect(crashes).toEqual([]);
  });

  it('shows Redis down with its reason, and a gone station with offline slots', async () => {
    const [serverPort, dashboardPort] = [await freePort(), await freePort()];
    const redisError = 'Redis at 127.0.0.1:6379 refused the connection';
    const canned = await startCannedHealthServer(
      serverPort,
      {
        status: 'degraded',
        postgres: { ok: true },
        redis: { ok: false, error: redisError },
        stations: [
          {
            stationId: 'line-2',
            hostname: 'jig-pc-2',
            version: '0.1.0',
            connected: false,
            lastSeenAt: new Date().toISOString(),
            slots: [
              {
                slot: 1,
                port: '/dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.0-port0',
                adapter: 'FT232R-A1B2',
                power: 'dtr',
              },
              { slot: 2, port: '/dev/ttyUSB1', adapter: null, power: 'manual' },
            ],
          },
        ],
      },
      503,
    );
    cleanups.push(() => canned.close());
    const dashboard = tracked(startDashboard(dashboardPort, canned.url));
    await waitForHttp(`http://127.0.0.1:${dashboardPort}`, dashboard);

    const { page, crashes } = await openPage(`http://127.0.0.1:${dashboardPort}`);
    await byTestId(page, 'health-redis', 'down').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(page, 'health-redis').innerText()).toMatch(/Redis\s+DOWN/);
    expect(await byTestId(page, 'health-redis').innerText()).toContain(redisError);
    expect(await byTestId(page, 'health-postgres').getAttribute('data-state')).toBe('ok');
    const card = page.locator('[data-testid="station"][data-station-id="line-2"]');
    expect(await card.locator('[data-testid="station-connection"]').innerText()).toBe('Gone');
    const tiles = card.locator('[data-testid="slot-tile"]');
    expect(await tiles.evaluateAll((all) => all.map((t) => t.getAttribute('data-state')))).toEqual([
      'offline',
      'offline',
    ]);
    const second = await tiles.nth(1).innerText();
    expect(second).toMatch(/^2\s+OFFLINE/);
    expect(second).toContain('ttyUSB1');
    expect(second).toMatch(/Adapter\s+unknown/);
    expect(second).toMatch(/Power\s+Manual/);
    expect(await tiles.first().innerText()).toContain('…0-usb-0:1:1.0-port0');
    expect(await byTestId(page, 'no-stations').count()).toBe(0);
    expect(crashes).toEqual([]);
  });
});

describe('dashboard start-up', () => {
  it('refuses to start with a bad SERVER_URL and says why', async () => {
    const dashboard = tracked(startDashboard(await freePort(), 'ftp://line-server'));
    const [code] = (await once(dashboard.child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(dashboard.output()).toContain(
      'Invalid dashboard environment: SERVER_URL: must be an http(s) URL',
    );
  });
});
