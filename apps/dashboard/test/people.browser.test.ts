// Signing in, in a real browser against the shared line (test/support/global-setup.ts: the real
// server with its demo users from DEMO_PASSWORD, a real station agent and its emulated jig): a
// supervisor through the password form, an operator by badge at a station's kiosk, a wrong badge,
// sign-out. A second station (one emulated slot) joins the line for this file, so "only their
// station" and "every station" differ. This file flashes slot 8 of the shared station.
import {
  labelImei,
  uniquePrefix,
  waitFor,
  WaitAbortedError,
  type StationApp,
} from '@station/testkit';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLASH_TIMEOUT_MS, UI_TIMEOUT_MS, byTestId, useBrowser } from './support/browser';
import { startJigStation } from './support/line-stack';
import { apiAs, DEMO_PASSWORD, OPERATOR_BADGE, signInThroughApi } from './support/people';
import { lineLogs, sharedLine } from './support/shared-line';

const session = useBrowser();
const line = sharedLine();
const { stationId, serverUrl, dashboardUrl } = line;
const otherStationId = uniquePrefix('people-other');
const kioskUrl = `${dashboardUrl}/sign-in?station=${stationId}`;

const stationCard = (page: Page, id: string) =>
  page.locator(`[data-testid="station"][data-station-id="${id}"]`);

/** Both stations are on the line view: connected, and their line state arrived. */
async function lineShows(page: Page, ids: string[]): Promise<void> {
  for (const id of ids) {
    await stationCard(page, id)
      .and(page.locator('[data-following="true"]'))
      .locator('[data-testid="station-connection"][data-state="connected"]')
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        throw new Error(`station ${id} never showed:\n${await lineLogs(line)}`, { cause: error });
      });
  }
}

beforeAll(async () => {
  const other: StationApp = session.tracked(
    await startJigStation(line, { stationId: otherStationId, slots: 1 }),
  );
  await waitFor(
    `station ${otherStationId} to show as connected`,
    async () => {
      if (!other.running()) throw new WaitAbortedError(`it exited:\n${other.current.output()}`);
      const reply = await apiAs(line.supervisor, `${serverUrl}/api/stations/${otherStationId}`);
      return reply.status === 200 && (JSON.parse(reply.body) as { connected?: boolean }).connected;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}, 90_000);

describe('people sign in to the line', () => {
  it('a supervisor signs in with a password on the sign-in page and sees every station', async () => {
    const { page, crashes } = await session.openPage(dashboardUrl);
    // Nobody is signed in on this browser: the line view sends it to the sign-in page.
    await page.waitForURL(`${dashboardUrl}/sign-in`, { timeout: UI_TIMEOUT_MS });
    // Without a station in the address the page offers the stations' kiosks.
    await page
      .locator(`[data-testid="kiosk-station"]`, { hasText: otherStationId })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator('[data-testid="kiosk-station"]').allInnerTexts()).toEqual(
      expect.arrayContaining([stationId, otherStationId]),
    );

    await page.locator('[data-testid="username"]').fill('supervisor');
    await page.locator('[data-testid="password"]').fill(DEMO_PASSWORD);
    await page.locator('[data-testid="sign-in-submit"]').click();

    await page.waitForURL(`${dashboardUrl}/`, { timeout: UI_TIMEOUT_MS });
    await lineShows(page, [stationId, otherStationId]);
    expect(await byTestId(page, 'signed-in-role').getAttribute('data-role')).toBe('supervisor');
    expect(await byTestId(page, 'signed-in-station').count()).toBe(0);
    expect(await byTestId(page, 'nav-item').allInnerTexts()).toEqual([
      'Line view',
      'Yield',
      'Attempts',
    ]);
    expect(await byTestId(page, 'watch-error').count()).toBe(0);
    expect(crashes).toEqual([]);
  });

  it('an operator signs in by badge at a kiosk, sees only that station and flashes on it', async () => {
    const { page, crashes } = await session.openPage(kioskUrl);
    const badge = byTestId(page, 'badge-input');
    await badge.waitFor({ timeout: UI_TIMEOUT_MS });
    // The scanner needs no click: the badge field has the focus.
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'badge-input',
      undefined,
      { timeout: UI_TIMEOUT_MS },
    );
    await page.keyboard.type(OPERATOR_BADGE);
    await page.keyboard.press('Enter');

    await page.waitForURL(`${dashboardUrl}/?station=${stationId}`, { timeout: UI_TIMEOUT_MS });
    await lineShows(page, [stationId]);
    expect(await byTestId(page, 'signed-in-role').getAttribute('data-role')).toBe('operator');
    expect(await byTestId(page, 'signed-in-station').innerText()).toBe(`at ${stationId}`);
    // The other station is connected (the health poll lists it) but not this operator's.
    expect(await byTestId(page, 'station').count()).toBe(1);
    expect(await stationCard(page, otherStationId).count()).toBe(0);
    expect(await byTestId(page, 'watch-error').count()).toBe(0);

    const slot8 = stationCard(page, stationId).locator('[data-testid="slot-tile"][data-slot="8"]');
    await slot8.locator('[data-testid="scan-input"]').fill(labelImei(8));
    await slot8.locator('[data-testid="scan-input"]').press('Enter');
    await slot8
      .locator('[data-testid="flash-verdict"][data-outcome="passed"]')
      .waitFor({ timeout: FLASH_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        throw new Error(`tile 8 shows:\n${await slot8.innerText()}\n${await lineLogs(line)}`, {
          cause: error,
        });
      });
    expect(await slot8.locator('[data-testid="flash-imei"]').innerText()).toBe(
      `IMEI ${labelImei(8)}`,
    );
    expect(crashes).toEqual([]);
  }, 180_000);

  it('a wrong badge is refused with the reason, and the kiosk takes the next scan', async () => {
    const { page, crashes } = await session.openPage(kioskUrl);
    const badge = byTestId(page, 'badge-input');
    await badge.fill('98765432');
    await badge.press('Enter');

    const message = byTestId(page, 'sign-in-error-message');
    await message.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await message.innerText()).toBe('Unknown badge');
    expect(await message.getAttribute('data-reason')).toBe('bad-credentials');
    expect(page.url()).toBe(kioskUrl);
    expect(await badge.inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'badge-input',
    );

    // Not a badge at all: refused on the page, nothing sent (no sign-in attempt used up).
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/session') && request.method() === 'POST') {
        posts.push(request.url());
      }
    });
    await badge.fill('SN-4711');
    await badge.press('Enter');
    await byTestId(page, 'sign-in-error-message')
      .filter({ hasText: 'Not a badge' })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await message.innerText()).toBe(
      'Not a badge: "SN-4711" (a badge is 4 to 32 digits). Nothing was sent.',
    );
    expect(posts).toEqual([]);
    expect(crashes).toEqual([]);
  });

  it('signing out returns to the kiosk, and the line view is no longer reachable', async () => {
    const operator = await signInThroughApi(serverUrl, {
      badge: OPERATOR_BADGE,
      stationId,
    });
    const { page, crashes } = await session.openPage(`${dashboardUrl}/?station=${stationId}`, {
      as: operator,
    });
    await lineShows(page, [stationId]);

    await byTestId(page, 'sign-out').click();
    await page.waitForURL(kioskUrl, { timeout: UI_TIMEOUT_MS }).catch(async (error: unknown) => {
      const said = byTestId(page, 'sign-out-error');
      throw new Error(
        `still at ${page.url()}${(await said.count()) > 0 ? `: ${await said.innerText()}` : ''}`,
        { cause: error },
      );
    });
    await byTestId(page, 'badge-input').waitFor({ timeout: UI_TIMEOUT_MS });

    // The session is gone on the server, not only from this browser.
    const after = await apiAs(operator, `${serverUrl}/api/session`);
    expect(after.status, after.body).toBe(401);
    // The line view sends this browser back to sign in, and shows it no station on the way.
    await page.goto(`${dashboardUrl}/?station=${stationId}`);
    await page.waitForURL(kioskUrl, { timeout: UI_TIMEOUT_MS });
    expect(await byTestId(page, 'station').count()).toBe(0);
    expect(crashes).toEqual([]);
  });

  it('a session ended elsewhere sends an open line view back to its kiosk', async () => {
    const operator = await signInThroughApi(serverUrl, { badge: OPERATOR_BADGE, stationId });
    // No station in the address: the kiosk is the one the operator's session is bound to.
    const { page, crashes } = await session.openPage(dashboardUrl, { as: operator });
    await lineShows(page, [stationId]);

    // Signed out by another client (a script with the same session): the server drops this
    // screen's socket, whose reconnect is refused UNAUTHENTICATED.
    const out = await apiAs(operator, `${serverUrl}/api/session`, { method: 'DELETE' });
    expect(out.status, out.body).toBe(204);
    await page.waitForURL(kioskUrl, { timeout: UI_TIMEOUT_MS });
    await byTestId(page, 'badge-input').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(crashes).toEqual([]);
  });

  it('a password sign-in with a wrong password says so, and signs nobody in', async () => {
    const { page, crashes } = await session.openPage(`${dashboardUrl}/sign-in`);
    await byTestId(page, 'username').fill('engineer');
    await byTestId(page, 'password').fill(`${DEMO_PASSWORD}-wrong`);
    await byTestId(page, 'sign-in-submit').click();
    const message = byTestId(page, 'sign-in-error-message');
    await message.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await message.innerText()).toBe('Unknown user or wrong password');
    expect(page.url()).toBe(`${dashboardUrl}/sign-in`);
    expect(crashes).toEqual([]);
  });
});
