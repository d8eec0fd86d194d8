// The dashboard's health panel and station list in a real browser. Real: the built dashboard
// (`next start`), apps/server as a child process on a fresh migrated Postgres database and a
// private Redis prefix, real station agents, and Debian's Chromium driven by playwright-core. This
// file's server is its own, not the shared line: it must start with no station and is stopped
// mid-test. The one fake is startCannedHealthServer, for what the real server cannot be made to
// say from a test (a body outside the contract, Redis down). Pages are signed in as the demo
// supervisor (through the API, cookie into the browser); the sign-in page has its own file.
import { join } from 'node:path';
import { freePort, labelImei, uniquePrefix, waitFor, waitForHttp } from '@station/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BAD_RED,
  FLASH_TIMEOUT_MS,
  OK_GREEN,
  UI_TIMEOUT_MS,
  VIEWPORT,
  byTestId,
  useBrowser,
} from './support/browser';
import { startCannedHealthServer } from './support/canned-health-server';
import { startDashboard } from './support/dashboard-process';
import { startJigStation, startLineStack, type LineStack } from './support/line-stack';
import { apiAs, asUser, signInThroughApi, type SignedIn } from './support/people';
import { inspectScreenshot } from './support/screenshot';

const session = useBrowser();
const { tracked } = session;

// Cases that start a station agent (and issue its credential) take a while on a loaded machine.
describe('line view against the real server', { timeout: 120_000 }, () => {
  let line: LineStack;
  let serverUrl: string;
  let dashboardUrl: string;
  let supervisor: SignedIn;
  const openPage = (url: string) => session.openPage(url, { as: supervisor });

  beforeAll(async () => {
    line = await startLineStack('dashtest');
    session.onCleanup(() => line.stop());
    ({ serverUrl, dashboardUrl } = line);
    supervisor = await signInThroughApi(serverUrl, asUser('supervisor'));
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
          '[data-testid="server-unreachable"], [data-testid="server-invalid"], [data-testid="live-error"], [data-testid="watch-error"]',
        )
        .count(),
    ).toBe(0);

    const shot = join(session.scratchDir(), 'line-view.png');
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
        headers: {
          'access-control-allow-origin': dashboardUrl,
          'access-control-allow-credentials': 'true',
        },
        body: emptyLine,
      }),
    );

    const stationId = uniquePrefix('dash-station');
    const station = tracked(await startJigStation(line, { stationId, slots: 4 }));
    const card = page.locator(`[data-testid="station"][data-station-id="${stationId}"]`);
    await card
      .locator('[data-testid="station-connection"][data-state="connected"]')
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch((error: unknown) => {
        throw new Error(`station never showed as connected:\n${station.current.output()}`, {
          cause: error,
        });
      });
    expect(await byTestId(page, 'no-stations').count()).toBe(0);
    // A station that appears later is watched too: its flashes will show on this screen.
    await card.and(page.locator('[data-following="true"]')).waitFor({ timeout: UI_TIMEOUT_MS });
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
    expect(await tiles.first().locator('[data-testid="slot-offline"]').innerText()).toBe(
      'Station not connected',
    );
    expect(crashes).toEqual([]);
  });

  it('says the server is not reachable once it stops, and recovers when it is back', async () => {
    const { page: openBefore, crashes } = await openPage(dashboardUrl);
    await byTestId(openBefore, 'health-postgres', 'ok').waitFor({ timeout: UI_TIMEOUT_MS });

    await line.server.stop();

    const expected = `Server not reachable at ${serverUrl}`;
    await byTestId(openBefore, 'server-unreachable').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(openBefore, 'server-unreachable').textContent()).toContain(expected);
    expect(await byTestId(openBefore, 'server-unreachable').textContent()).toContain(
      `DASHBOARD_ORIGIN on the server: it must list ${dashboardUrl}`,
    );
    expect(await byTestId(openBefore, 'health-server').getAttribute('data-state')).toBe('down');

    // A screen opened now cannot learn who is signed in: it says why and shows no line yet.
    const { page: fresh, crashes: freshCrashes } = await openPage(dashboardUrl);
    await byTestId(fresh, 'server-unreachable').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(fresh, 'server-unreachable').textContent()).toContain(expected);
    expect(await byTestId(fresh, 'server-unreachable').textContent()).toContain(
      `it must list ${dashboardUrl}`,
    );
    expect(await byTestId(fresh, 'health-postgres').count()).toBe(0);
    expect(await byTestId(fresh, 'no-stations').count()).toBe(0);

    const shot = join(session.scratchDir(), 'unreachable.png');
    await fresh.screenshot({ path: shot });
    const facts = await inspectScreenshot(shot);
    expect(facts.count(BAD_RED)).toBeGreaterThan(100);

    // Sessions are kept in Postgres: both screens are still signed in on the restarted server.
    await line.startServer();
    for (const page of [openBefore, fresh]) {
      await byTestId(page, 'health-postgres', 'ok').waitFor({ timeout: UI_TIMEOUT_MS });
      await byTestId(page, 'live-link', 'live').waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await byTestId(page, 'server-unreachable').count()).toBe(0);
    }
    expect([...crashes, ...freshCrashes]).toEqual([]);
  }, 90_000);

  it('follows its stations again after a server restart: a flash after it shows on a screen left open', async () => {
    const stationId = uniquePrefix('dash-restart');
    const station = tracked(await startJigStation(line, { stationId, slots: 1 }));
    const { page, crashes } = await openPage(dashboardUrl);
    const card = page.locator(`[data-testid="station"][data-station-id="${stationId}"]`);
    const following = (value: boolean) =>
      card
        .and(page.locator(`[data-following="${value}"]`))
        .waitFor({ timeout: UI_TIMEOUT_MS })
        .catch((error: unknown) => {
          throw new Error(
            `station card never had data-following=${value}:\n${station.current.output()}`,
            { cause: error },
          );
        });
    await following(true);

    await line.server.stop();
    await following(false);
    await line.startServer();
    // Watched again on the new connection, and the station is back on the new server.
    await following(true);
    await card
      .locator('[data-testid="station-connection"][data-state="connected"]')
      .waitFor({ timeout: UI_TIMEOUT_MS });

    // A server just restarted may not have stored the station's registration again yet: it says
    // so (409 STATION_NOT_STORED, "retry in a moment"), and a script retries, as here.
    const answer = await waitFor(
      'the restarted server to take a flash job for the station',
      async () => {
        const reply = await apiAs(supervisor, `${serverUrl}/api/flash-jobs`, {
          method: 'POST',
          json: { stationId, slot: 1, imei: labelImei(1) },
        });
        // Not yet: thrown, so a timeout names the last refusal.
        if (reply.status === 409 && reply.body.includes('"STATION_NOT_STORED"')) {
          throw new Error(`409 ${reply.body}`);
        }
        return reply;
      },
      { timeoutMs: UI_TIMEOUT_MS, intervalMs: 250 },
    );
    expect(answer.status, answer.body).toBe(202);
    const slot1 = card.locator('[data-testid="slot-tile"][data-slot="1"]');
    await slot1
      .locator('[data-testid="flash-verdict"][data-outcome="passed"]')
      .waitFor({ timeout: FLASH_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        throw new Error(`tile 1 shows:\n${await slot1.innerText()}\n${station.current.output()}`, {
          cause: error,
        });
      });
    expect(crashes).toEqual([]);
  }, 180_000);
});

describe('line view against canned health answers', () => {
  // The canned server says a supervisor is signed in: no cookie needed.
  const { openPage } = session;

  it('shows what was wrong instead of crashing', async () => {
    const [serverPort, dashboardPort] = [await freePort(), await freePort()];
    const broken = await startCannedHealthServer(serverPort, {
      status: 'ok',
      postgres: { ok: 'yes' },
      redis: { ok: true },
      stations: [],
    });
    session.onCleanup(() => broken.close());
    const dashboard = tracked(startDashboard(dashboardPort, broken.url));
    await waitForHttp(`http://127.0.0.1:${dashboardPort}`, { process: dashboard });

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

  it('shows Redis down with its reason, a gone station with offline slots, and a missing port', async () => {
    const [serverPort, dashboardPort] = [await freePort(), await freePort()];
    const redisError = 'Redis at 127.0.0.1:6379 refused the connection';
    const lastSeenAt = new Date().toISOString();
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
            lastSeenAt,
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
          {
            stationId: 'line-3',
            hostname: 'jig-pc-3',
            version: '0.1.0',
            connected: true,
            lastSeenAt,
            slots: [
              { slot: 1, port: '/dev/ttyUSB0', adapter: null, power: 'dtr', online: true },
              { slot: 2, port: '/dev/ttyUSB1', adapter: null, power: 'dtr', online: false },
            ],
          },
        ],
      },
      503,
    );
    session.onCleanup(() => canned.close());
    const dashboard = tracked(startDashboard(dashboardPort, canned.url));
    await waitForHttp(`http://127.0.0.1:${dashboardPort}`, { process: dashboard });

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

    // A connected station whose slot 2 port is missing: that tile alone is offline, says why,
    // and takes no scan (the scanner's focus goes to slot 1).
    const line3 = page.locator('[data-testid="station"][data-station-id="line-3"]');
    const line3Tiles = line3.locator('[data-testid="slot-tile"]');
    expect(
      await line3Tiles.evaluateAll((all) => all.map((t) => t.getAttribute('data-state'))),
    ).toEqual(['idle', 'offline']);
    const missing = line3Tiles.nth(1);
    expect(await missing.innerText()).toMatch(/^2\s+OFFLINE/);
    expect(await missing.locator('[data-testid="slot-offline"]').innerText()).toBe(
      'Port missing: check this slot’s USB adapter and cable',
    );
    expect(await missing.locator('[data-testid="scan-input"]').isDisabled()).toBe(true);
    expect(await line3Tiles.nth(0).locator('[data-testid="scan-input"]').isEnabled()).toBe(true);
    await page.waitForFunction(
      () => {
        const tile = document.activeElement?.closest('[data-testid="slot-tile"]');
        const station = tile?.closest('[data-testid="station"]');
        return (
          station?.getAttribute('data-station-id') === 'line-3' &&
          tile?.getAttribute('data-slot') === '1'
        );
      },
      undefined,
      { timeout: UI_TIMEOUT_MS },
    );
    expect(crashes).toEqual([]);
  });
});

describe('dashboard start-up', () => {
  it('refuses to start with a bad SERVER_URL and says why', async () => {
    const dashboard = tracked(startDashboard(await freePort(), 'ftp://line-server'));
    const { code } = await dashboard.waitForExit(UI_TIMEOUT_MS);
    expect(code).toBe(1);
    expect(dashboard.output()).toContain(
      'Invalid dashboard environment: SERVER_URL: must be an http(s) URL',
    );
  });
});
