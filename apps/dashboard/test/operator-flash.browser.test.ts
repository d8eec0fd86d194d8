// An operator flashes modules from slot tiles, in a real browser against the shared line
// (test/support/global-setup.ts): the real server, a real station agent and its emulated jig.
// The operator is signed in by badge at the shared station (through the API, cookie into the
// browser). This file uses slots 1–3 of the shared station. The scan box sends the label as
// scanned; the server reads it (issue #9 §4).
import { join } from 'node:path';
import { labelImei, testImei, waitFor, withWrongCheckDigit } from '@station/testkit';
import type { Page, Response } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BAD_RED,
  FLASH_TIMEOUT_MS,
  OK_GREEN,
  UI_TIMEOUT_MS,
  useBrowser,
  type OpenedPage,
} from './support/browser';
import { gateFlashEvents } from './support/flash-event-gate';
import { apiAs, OPERATOR_BADGE, signInThroughApi, type SignedIn } from './support/people';
import { inspectScreenshot } from './support/screenshot';
import { lineLogs, sharedLine } from './support/shared-line';

const session = useBrowser();

describe('operator flashes a module from a slot tile (real server, agent and emulated jig)', () => {
  const line = sharedLine();
  const { stationId, serverUrl } = line;
  const SLOT_1_IMEI = labelImei(1);
  let operator: SignedIn;

  beforeAll(async () => {
    operator = await signInThroughApi(serverUrl, { badge: OPERATOR_BADGE, stationId });
  });

  async function openStation(
    before?: (page: Page) => Promise<unknown>,
    as: SignedIn = operator,
  ): Promise<OpenedPage & { posts: string[] }> {
    const { page, crashes } = await session.openPage(line.dashboardUrl, { as, before });
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/flash-jobs')) posts.push(request.postData() ?? '');
    });
    await page
      .locator(
        // Following: its line state has arrived, so every flash of it shows from here on.
        `[data-testid="station"][data-station-id="${stationId}"][data-following="true"] [data-testid="station-connection"][data-state="connected"]`,
      )
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        throw new Error(
          `station never showed as connected and followed:\n${await lineLogs(line)}`,
          {
            cause: error,
          },
        );
      });
    return { page, crashes, posts };
  }

  const tile = (page: Page, slot: number) =>
    page.locator(
      `[data-testid="station"][data-station-id="${stationId}"] [data-testid="slot-tile"][data-slot="${slot}"]`,
    );

  it("shows the server's sentence for a label it cannot read, on the tile, and starts nothing", async () => {
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
      'Label "SN-4711-X" not readable: no label format matched (known: imei, keyed, model-imei-sn, simcom-pipe): ' +
        "scan the module's IMEI barcode (LABEL_UNREADABLE)",
    );
    expect(await slot1.innerText()).toMatch(/^1\s+BAD LABEL/);
    // A wrong check digit is a misread label: the sentence says which digit.
    const misread = withWrongCheckDigit(SLOT_1_IMEI);
    // The refused slot's field has the focus back, so the operator simply scans again.
    await page.waitForFunction(
      () =>
        document.activeElement?.closest('[data-testid="slot-tile"]')?.getAttribute('data-slot') ===
        '1',
      undefined,
      { timeout: UI_TIMEOUT_MS },
    );
    await page.keyboard.type(misread);
    await page.keyboard.press('Enter');
    await slot1
      .locator('[data-testid="flash-message"]', { hasText: misread })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await slot1.locator('[data-testid="flash-message"]').innerText()).toBe(
      `Label "${misread}" not readable: the IMEI's check digit is ${misread[14]}, expected ${SLOT_1_IMEI[14]} (format imei) (LABEL_UNREADABLE)`,
    );
    expect(await slot1.locator('[data-testid="scan-input"]').inputValue()).toBe('');
    // Sent as scanned; the server refused both, and the tile starts nothing.
    expect(posts.map((body) => JSON.parse(body) as unknown)).toEqual([
      { stationId, slot: 1, label: 'SN-4711-X' },
      { stationId, slot: 1, label: misread },
    ]);
    expect(await slot1.getAttribute('data-state')).toBe('invalid');
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
    await verdict.waitFor({ timeout: FLASH_TIMEOUT_MS }).catch(async (error: unknown) => {
      const shown = await slot1.innerText();
      throw new Error(`no result on the tile, it shows:\n${shown}\n${await lineLogs(line)}`, {
        cause: error,
      });
    });
    expect(await verdict.getAttribute('data-outcome')).toBe('passed');
    expect(await slot1.getAttribute('data-state')).toBe('passed');
    expect(await slot1.locator('[data-testid="tile-state"]').innerText()).toMatch(/^PASS\s+✓$/);
    expect(await slot1.locator('[data-testid="flash-imei"]').innerText()).toBe(
      `IMEI ${SLOT_1_IMEI}`,
    );
    expect(await slot1.locator('[data-testid="flash-revision"]').innerText()).toBe(
      'Now MC60CAR01A13',
    );
    // Label and module agree: nothing about a mix-up.
    expect(await slot1.locator('[data-testid="flash-mismatch"]').count()).toBe(0);

    const seen = await page.evaluate(
      () => (window as unknown as { seenProgress: string[] }).seenProgress,
    );
    expect(seen.length).toBeGreaterThan(0);
    // Stage names are the contract's FlashStage values (snake_case).
    expect(seen.every((entry) => /^[a-z_]+ \d{1,3} %$/.test(entry))).toBe(true);
    expect(posts.map((body) => JSON.parse(body) as unknown)).toEqual([
      { stationId, slot: 1, label: SLOT_1_IMEI },
    ]);

    const shot = join(session.scratchDir(), 'slot-pass.png');
    await slot1.screenshot({ path: shot });
    const facts = await inspectScreenshot(shot);
    // The PASS panel fills a good part of the tile in the pass colour.
    expect(facts.count(OK_GREEN) / (facts.width * facts.height)).toBeGreaterThan(0.15);
    await page.screenshot({ path: join(session.scratchDir(), 'line-pass.png') });
    expect(crashes).toEqual([]);
  }, 180_000);

  it('shows FAIL with the error and the instruction: a module that is not the scanned label', async () => {
    const { page, crashes } = await openStation();
    const slot3 = tile(page, 3);
    // A valid IMEI, but not the one the module in slot 3 reports (its label is serial 100003).
    const otherLabel = testImei(100_009);
    await slot3.locator('[data-testid="scan-input"]').fill(otherLabel);
    await slot3.locator('[data-testid="scan-input"]').press('Enter');

    const verdict = slot3.locator('[data-testid="flash-verdict"]');
    await verdict.waitFor({ timeout: FLASH_TIMEOUT_MS }).catch(async (error: unknown) => {
      const shown = await slot3.innerText();
      throw new Error(`no result on tile 3, it shows:\n${shown}\n${await lineLogs(line)}`, {
        cause: error,
      });
    });
    expect(await verdict.getAttribute('data-outcome')).toBe('failed');
    expect(await slot3.getAttribute('data-state')).toBe('failed');
    expect(await slot3.locator('[data-testid="tile-state"]').innerText()).toMatch(/^FAIL\s+✕$/);
    expect(await slot3.locator('[data-testid="flash-error"]').innerText()).toMatch(
      /^FS_IMEI_MISMATCH 9403 at /,
    );
    expect(await slot3.locator('[data-testid="flash-hint"]').innerText()).toBe(
      'Module IMEI differs from its label: put in quarantine tray.',
    );
    // Both numbers, so the operator can sort the label and the module out.
    expect(await slot3.locator('[data-testid="flash-mismatch"]').innerText()).toBe(
      `Label and module do not match: the label says ${otherLabel}, the module reports ${labelImei(3)}`,
    );
    // The tile takes the next scan at once.
    expect(await slot3.locator('[data-testid="scan-input"]').isEnabled()).toBe(true);

    const shot = join(session.scratchDir(), 'slot-fail.png');
    await slot3.screenshot({ path: shot });
    const facts = await inspectScreenshot(shot);
    expect(facts.count(BAD_RED) / (facts.width * facts.height)).toBeGreaterThan(0.15);
    expect(crashes).toEqual([]);
  }, 180_000);

  it("shows the server's refusal on the tile: a slot that is already flashing", async () => {
    // A screen that has not heard of that flash yet (its flash events held back): a screen that
    // has heard disables the slot's scan field instead, see line-across-screens.
    let gate: Awaited<ReturnType<typeof gateFlashEvents>> | undefined;
    const { page, crashes, posts } = await openStation(async (p) => {
      gate = await gateFlashEvents(p);
    });
    const slot2Imei = labelImei(2);
    // Another client (a supervisor's script) starts slot 2 behind this screen's back.
    const direct = await apiAs(line.supervisor, `${serverUrl}/api/flash-jobs`, {
      method: 'POST',
      json: { stationId, slot: 2, imei: slot2Imei },
    });
    expect(direct.status, direct.body).toBe(202);

    const slot2 = tile(page, 2);
    // Another label: the same one again within seconds would be a double scan (DOUBLE_SCAN).
    await slot2.locator('[data-testid="scan-input"]').fill(testImei(100_008));
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

    // Once its events arrive, the tile shows the flash that took the slot, and its verdict.
    gate?.release();
    await slot2
      .locator('[data-testid="flash-verdict"][data-outcome="passed"]')
      .waitFor({ timeout: FLASH_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        throw new Error(`tile 2 shows:\n${await slot2.innerText()}\n${await lineLogs(line)}`, {
          cause: error,
        });
      });
    expect(await slot2.locator('[data-testid="flash-imei"]').innerText()).toBe(`IMEI ${slot2Imei}`);
    expect(posts).toHaveLength(1);
    expect(crashes).toEqual([]);
  }, 180_000);

  it('flashes from a 2D label; the module again is ALREADY_PASSED, which only a supervisor reworks', async () => {
    const { page, crashes, posts } = await openStation();
    const slot3 = tile(page, 3);
    const imei3 = labelImei(3);
    const label = `MC60CA ${imei3} MPB19LA0001233`;
    const verdictOf = async (on: typeof slot3) => {
      const verdict = on.locator('[data-testid="flash-verdict"]');
      await verdict.waitFor({ timeout: FLASH_TIMEOUT_MS }).catch(async (error: unknown) => {
        throw new Error(`no result on tile 3:\n${await on.innerText()}\n${await lineLogs(line)}`, {
          cause: error,
        });
      });
      return verdict.getAttribute('data-outcome');
    };
    /** Scans at tile 3 and resolves with the server's answer. */
    const scanAt = async (on: typeof slot3, onPage: Page): Promise<Response> => {
      const answered = onPage.waitForResponse((r) => r.url().endsWith('/api/flash-jobs'));
      await on.locator('[data-testid="scan-input"]').fill(label);
      await on.locator('[data-testid="scan-input"]').press('Enter');
      return answered;
    };

    expect((await scanAt(slot3, page)).status()).toBe(202);
    expect(await verdictOf(slot3)).toBe('passed');
    expect(await slot3.locator('[data-testid="flash-imei"]').innerText()).toBe(`IMEI ${imei3}`);
    expect(JSON.parse(posts[0]!)).toEqual({ stationId, slot: 3, label });

    // Scanned again (once the double-scan window of the first scan is over): refused, and an
    // operator is offered no rework.
    await waitFor(
      'ALREADY_PASSED at tile 3',
      async () => {
        const answer = (await (await scanAt(slot3, page)).json()) as { error?: { code: string } };
        if (answer.error?.code !== 'ALREADY_PASSED') throw new Error(JSON.stringify(answer));
        return true;
      },
      { timeoutMs: UI_TIMEOUT_MS, intervalMs: 1000 },
    );
    const message = slot3.locator('[data-testid="flash-message"]', { hasText: 'ALREADY_PASSED' });
    await message.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await message.innerText()).toBe(
      `Not started: Module ${imei3} already passed with demo-MC60CAR01A13: it is not flashed again without a supervisor's rework (ALREADY_PASSED)`,
    );
    expect(await slot3.locator('[data-testid="rework"]').count()).toBe(0);

    // A supervisor's screen offers the rework: confirmed, the same label goes again with rework.
    const boss = await openStation(undefined, line.supervisor);
    const bossSlot3 = tile(boss.page, 3);
    expect((await scanAt(bossSlot3, boss.page)).status()).toBe(409);
    const rework = bossSlot3.locator('[data-testid="rework"]');
    await rework.waitFor({ timeout: UI_TIMEOUT_MS });
    const asked: string[] = [];
    boss.page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    const answered = boss.page.waitForResponse((r) => r.url().endsWith('/api/flash-jobs'));
    await rework.click();
    expect((await answered).status()).toBe(202);
    expect(asked).toEqual([expect.stringContaining('Flash it again in slot 3')]);
    expect(boss.posts.map((body) => JSON.parse(body) as unknown)).toEqual([
      { stationId, slot: 3, label },
      { stationId, slot: 3, label, rework: true },
    ]);
    expect(await verdictOf(bossSlot3)).toBe('passed');
    expect([...crashes, ...boss.crashes]).toEqual([]);
  }, 300_000);

  it('takes a slot out of rotation live when a supervisor disables it, and back when released', async () => {
    // The operator's screen is open; the supervisor acts through the API (a script, or their own
    // screen): slot:status reaches every screen watching the station, no reload.
    const { page, crashes } = await openStation();
    const slot3 = tile(page, 3);
    const scan = slot3.locator('[data-testid="scan-input"]');
    await expect.poll(() => scan.isEnabled(), { timeout: UI_TIMEOUT_MS }).toBe(true);
    const reason = 'Pogo pins worn: taken out for maintenance';
    const disabled = await apiAs(
      line.supervisor,
      `${serverUrl}/api/stations/${stationId}/slots/3/disable`,
      { method: 'POST', json: { reason } },
    );
    expect(disabled.status, disabled.body).toBe(200);
    await slot3
      .and(page.locator('[data-state="disabled"]'))
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        throw new Error(`tile 3 shows:\n${await slot3.innerText()}`, { cause: error });
      });
    expect(await slot3.locator('[data-testid="slot-hold"]').innerText()).toBe(reason);
    expect(await scan.isDisabled()).toBe(true);

    const released = await apiAs(
      line.supervisor,
      `${serverUrl}/api/stations/${stationId}/slots/3/release`,
      { method: 'POST', json: { reason: 'Pins replaced' } },
    );
    expect(released.status, released.body).toBe(200);
    await expect.poll(() => scan.isEnabled(), { timeout: UI_TIMEOUT_MS }).toBe(true);
    expect(await slot3.getAttribute('data-state')).not.toBe('disabled');
    expect(crashes).toEqual([]);
  }, 120_000);
});
