// The admin pages in a real browser against the shared line (test/support/global-setup.ts: the
// real server, Postgres, Redis and a station agent): an admin adds an operator with a badge, the
// operator signs in with it at the station's kiosk, the admin disables them and their open screen
// goes back to sign-in; keys and station credentials shown once and revoked after a confirm; an
// engineer gets no admin page. Nothing is mocked. This file flashes nothing.
import { randomBytes, randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { UI_TIMEOUT_MS, byTestId, useBrowser } from './support/browser';
import { apiAs, asUser, signInThroughApi, type SignedIn } from './support/people';
import { sharedLine } from './support/shared-line';

const session = useBrowser();
const line = sharedLine();
const { stationId, serverUrl, dashboardUrl } = line;
const kioskUrl = `${dashboardUrl}/sign-in?station=${stationId}`;

let admin: SignedIn;
let engineer: SignedIn;

beforeAll(async () => {
  admin = await signInThroughApi(serverUrl, asUser('admin'));
  engineer = await signInThroughApi(serverUrl, asUser('engineer'));
}, 60_000);

/** The outcome line under an admin form says `text`. */
async function saysDone(page: Page, text: string): Promise<void> {
  const status = byTestId(page, 'admin-status').filter({ hasText: text });
  await status.waitFor({ timeout: UI_TIMEOUT_MS }).catch(async (error: unknown) => {
    const refused = byTestId(page, 'admin-error');
    const said = (await refused.count()) > 0 ? await refused.innerText() : '(nothing)';
    throw new Error(`expected "${text}", the page says: ${said}`, { cause: error });
  });
}

describe('admins manage people', () => {
  it('an admin adds an operator with a badge; they sign in with it; disabled, their screen goes to sign-in', async () => {
    const username = `op-${randomBytes(4).toString('hex')}`;
    const badge = `${randomInt(10_000_000, 99_999_999)}${randomInt(1000, 9999)}`;
    const { page, crashes } = await session.openPage(`${dashboardUrl}/`, { as: admin });
    // The admin pages are in the admin's menu.
    await byTestId(page, 'nav-item').first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(page, 'nav-item').allInnerTexts()).toEqual([
      'Line view',
      'Yield',
      'Attempts',
      'Firmware',
      'People',
      'API keys',
      'Stations',
    ]);
    await byTestId(page, 'nav-item').filter({ hasText: 'People' }).click();
    await page.waitForURL(`${dashboardUrl}/admin/people`, { timeout: UI_TIMEOUT_MS });

    await byTestId(page, 'add-user-username').fill(username);
    await byTestId(page, 'add-user-display-name').fill('Night shift operator');
    await byTestId(page, 'add-user-role').selectOption('operator');
    await byTestId(page, 'add-user-badge').fill(badge);
    await byTestId(page, 'add-user-submit').click();
    await saysDone(page, `Added ${username}`);
    const row = page.locator(`[data-testid="user-row"][data-username="${username}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await row.locator('[data-testid="user-role"]').innerText()).toBe('Operator');
    // The form is empty again: the badge is not left on screen.
    expect(await byTestId(page, 'add-user-badge').inputValue()).toBe('');

    // The operator scans the new badge at the station's kiosk.
    const kiosk = await session.openPage(kioskUrl);
    await byTestId(kiosk.page, 'badge-input').waitFor({ timeout: UI_TIMEOUT_MS });
    await byTestId(kiosk.page, 'badge-input').fill(badge);
    await byTestId(kiosk.page, 'badge-input').press('Enter');
    await kiosk.page.waitForURL(`${dashboardUrl}/?station=${stationId}`, {
      timeout: UI_TIMEOUT_MS,
    });
    expect(await byTestId(kiosk.page, 'signed-in-name').innerText()).toBe('Night shift operator');
    await byTestId(kiosk.page, 'station').first().waitFor({ timeout: UI_TIMEOUT_MS });

    // Disabled, after a confirm: the operator's open line view is sent back to its kiosk.
    await row.locator('[data-testid="user-disable"]').click();
    expect(await row.locator('[data-testid="confirm"]').innerText()).toContain(
      `Disable ${username}?`,
    );
    await row.locator('[data-testid="confirm-yes"]').click();
    await page
      .locator(`[data-testid="user-row"][data-username="${username}"][data-disabled="true"]`)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await kiosk.page.waitForURL(kioskUrl, { timeout: UI_TIMEOUT_MS });
    await byTestId(kiosk.page, 'badge-input').waitFor({ timeout: UI_TIMEOUT_MS });
    // And the badge no longer opens anything.
    await byTestId(kiosk.page, 'badge-input').fill(badge);
    await byTestId(kiosk.page, 'badge-input').press('Enter');
    await byTestId(kiosk.page, 'sign-in-error-message')
      .filter({ hasText: 'Unknown badge' })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(crashes).toEqual([]);
    expect(kiosk.crashes).toEqual([]);
  }, 120_000);

  it('an API key is shown once with a copy button, works, and stops working when revoked', async () => {
    const { page, crashes } = await session.openPage(`${dashboardUrl}/admin/api-keys`, {
      as: admin,
    });
    const name = `report-${randomBytes(3).toString('hex')}`;
    await byTestId(page, 'key-name').fill(name);
    await byTestId(page, 'key-role').selectOption('supervisor');
    await byTestId(page, 'key-create').click();
    const secret = byTestId(page, 'secret-value');
    await secret.waitFor({ timeout: UI_TIMEOUT_MS });
    const key = await secret.innerText();
    expect(key).toMatch(/^fsk_/);
    expect(await byTestId(page, 'secret-once').innerText()).toContain(
      'You will not see this again',
    );
    await byTestId(page, 'secret-copy').click();
    await byTestId(page, 'secret-copied').waitFor({ timeout: UI_TIMEOUT_MS });
    const asKey = async () =>
      (await fetch(`${serverUrl}/api/session`, { headers: { authorization: `Bearer ${key}` } }))
        .status;
    expect(await asKey()).toBe(200);

    // Dismissed, the key is nowhere on the page: the list shows its prefix only.
    await byTestId(page, 'secret-dismiss').click();
    expect(await byTestId(page, 'secret-once').count()).toBe(0);
    const row = page.locator(`[data-testid="key-row"][data-prefix="${key.slice(0, 12)}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.content()).not.toContain(key.slice(12));

    await row.locator('[data-testid="key-revoke"]').click();
    await row.locator('[data-testid="confirm-yes"]').click();
    await saysDone(page, `Revoked ${name}`);
    expect(await row.locator('[data-testid="key-status"]').innerText()).toBe('Revoked');
    expect(await asKey()).toBe(401);
    expect(crashes).toEqual([]);
  }, 60_000);

  it('a station is created with its secret shown once; its credential is revoked after a confirm', async () => {
    const { page, crashes } = await session.openPage(`${dashboardUrl}/admin/stations`, {
      as: admin,
    });
    // The shared line's own station is listed, connected, with its credential.
    const own = page.locator(`[data-testid="station-row"][data-station-id="${stationId}"]`);
    await own.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await own.innerText()).toContain('Connected');
    expect(await own.locator('[data-testid="station-credential"]').innerText()).not.toBe('None');

    const newStation = `spare-${randomBytes(3).toString('hex')}`;
    await byTestId(page, 'station-new-id').fill(newStation);
    await byTestId(page, 'station-new-name').fill('Spare jig');
    await byTestId(page, 'station-create').click();
    await byTestId(page, 'secret-value').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(page, 'secret-value').innerText()).toMatch(/^fss_/);
    await byTestId(page, 'secret-dismiss').click();

    const row = page.locator(`[data-testid="station-row"][data-station-id="${newStation}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    await row.locator('[data-testid="station-revoke"]').click();
    await row.locator('[data-testid="confirm-yes"]').click();
    await saysDone(page, `Revoked ${newStation}'s credential`);
    expect(await row.locator('[data-testid="station-credential"]').innerText()).toBe('None');
    const listed = await apiAs(admin, `${serverUrl}/api/station-credentials`);
    expect(JSON.parse(listed.body)).toMatchObject({
      stations: expect.arrayContaining([
        expect.objectContaining({ stationId: newStation, credentialIssuedAt: null }),
      ]),
    });
    expect(crashes).toEqual([]);
  }, 60_000);

  it('an engineer has no admin page: none in the menu, and each address says it is not for them', async () => {
    for (const path of ['/admin/people', '/admin/api-keys', '/admin/stations']) {
      const { page, crashes } = await session.openPage(`${dashboardUrl}${path}`, { as: engineer });
      const notice = byTestId(page, 'not-for-role');
      await notice.waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await notice.innerText()).toContain('Not for your role');
      expect(await byTestId(page, 'nav-item').allInnerTexts()).toEqual([
        'Line view',
        'Yield',
        'Attempts',
        'Firmware',
      ]);
      expect(await page.locator('table').count()).toBe(0);
      expect(crashes).toEqual([]);
    }
    // The server refuses too, whatever the page does.
    expect((await apiAs(engineer, `${serverUrl}/api/users`)).status).toBe(403);
  }, 60_000);
});
