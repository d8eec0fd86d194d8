// One line state for every screen, in a real browser against the shared line (real server, station
// agent and emulated jig; test/support/global-setup.ts): flashes this screen did not start, a
// second screen opened mid-flash, a reload after the result, a slot whose port vanishes. This file
// uses slots 4–7 of the shared station.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { FLASH_STAGES, type FlashStage } from '@station/contracts';
import { labelImei, testImei } from '@station/testkit';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FLASH_TIMEOUT_MS, UI_TIMEOUT_MS, useBrowser, type OpenedPage } from './support/browser';
import { gateFlashEvents, type FlashEventGate } from './support/flash-event-gate';
import { apiAs } from './support/people';
import { lineLogs, sharedLine } from './support/shared-line';

const session = useBrowser();
const line = sharedLine();
const { stationId } = line;

async function openLine(before?: (page: Page) => Promise<unknown>): Promise<OpenedPage> {
  const opened = await session.openPage(line.dashboardUrl, { as: line.supervisor, before });
  await stationShown(opened.page);
  return opened;
}

async function stationShown(page: Page): Promise<void> {
  await page
    .locator(
      // Following: its line state has arrived, so every flash of it shows from here on.
      `[data-testid="station"][data-station-id="${stationId}"][data-following="true"] [data-testid="station-connection"][data-state="connected"]`,
    )
    .waitFor({ timeout: UI_TIMEOUT_MS })
    .catch(async (error: unknown) => {
      throw new Error(`station never showed as connected and followed:\n${await lineLogs(line)}`, {
        cause: error,
      });
    });
}

const tile = (page: Page, slot: number): Locator =>
  page.locator(
    `[data-testid="station"][data-station-id="${stationId}"] [data-testid="slot-tile"][data-slot="${slot}"]`,
  );

/** Starts a flash the way an engineer's script does, not from any tile. */
async function startThroughApi(slot: number, imei: string): Promise<string> {
  const response = await apiAs(line.supervisor, `${line.serverUrl}/api/flash-jobs`, {
    method: 'POST',
    json: { stationId, slot, imei },
  });
  const body = JSON.parse(response.body) as { attemptId?: string };
  expect(response.status, response.body).toBe(202);
  expect(typeof body.attemptId).toBe('string');
  return body.attemptId!;
}

/** Records every stage/percent the tile shows, in the page: progress can be quicker than polling. */
async function recordProgress(slotTile: Locator): Promise<() => Promise<string[]>> {
  const key = `seen-${await slotTile.getAttribute('data-slot')}`;
  await slotTile.evaluate((element, name) => {
    const seen: string[] = [];
    (window as unknown as Record<string, string[]>)[name] = seen;
    new MutationObserver(() => {
      const stage = element
        .querySelector('[data-testid="flash-stage"]')
        ?.getAttribute('data-stage');
      const percent = element.querySelector('[data-testid="flash-percent"]')?.textContent;
      if (stage && percent) seen.push(`${stage} ${percent}`);
    }).observe(element, { subtree: true, childList: true, characterData: true, attributes: true });
  }, key);
  return () =>
    slotTile.page().evaluate((name) => (window as unknown as Record<string, string[]>)[name]!, key);
}

async function waitForVerdict(slotTile: Locator, outcome: 'passed' | 'failed'): Promise<void> {
  await slotTile
    .locator(`[data-testid="flash-verdict"][data-outcome="${outcome}"]`)
    .waitFor({ timeout: FLASH_TIMEOUT_MS })
    .catch(async (error: unknown) => {
      throw new Error(
        `no ${outcome} verdict on tile ${await slotTile.getAttribute('data-slot')}, it shows:\n${await slotTile.innerText()}\n${await lineLogs(line)}`,
        { cause: error },
      );
    });
}

/** What a tile shows, in the words a test compares between screens. */
async function shown(slotTile: Locator): Promise<{ state: string | null; stage: string | null }> {
  const stage = slotTile.locator('[data-testid="flash-stage"]');
  return {
    state: await slotTile.getAttribute('data-state'),
    stage: (await stage.count()) > 0 ? await stage.getAttribute('data-stage') : null,
  };
}

const isStage = (value: string | null): value is FlashStage =>
  (FLASH_STAGES as readonly (string | null)[]).includes(value);

describe('one line state for every screen', () => {
  it('shows a flash started through the API: stage and percent, then PASS, without a scan', async () => {
    const { page, crashes } = await openLine();
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/flash-jobs')) posts.push(request.method());
    });
    const slot4 = tile(page, 4);
    expect(await slot4.getAttribute('data-state')).toBe('idle');
    const seenProgress = await recordProgress(slot4);

    await startThroughApi(4, labelImei(4));

    // While it runs the tile takes no scan: the slot is busy whoever started it.
    await slot4
      .and(page.locator('[data-state="running"]'))
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        throw new Error(`tile 4 never showed the flash:\n${await lineLogs(line)}`, {
          cause: error,
        });
      });
    expect(await slot4.locator('[data-testid="scan-input"]').isDisabled()).toBe(true);
    expect(await slot4.locator('[data-testid="flash-imei"]').innerText()).toBe(
      `IMEI ${labelImei(4)}`,
    );

    await waitForVerdict(slot4, 'passed');
    expect(await slot4.getAttribute('data-state')).toBe('passed');
    expect(await slot4.locator('[data-testid="tile-state"]').innerText()).toMatch(/^PASS\s+✓$/);
    expect(await slot4.locator('[data-testid="flash-imei"]').innerText()).toBe(
      `IMEI ${labelImei(4)}`,
    );
    expect(await slot4.locator('[data-testid="flash-revision"]').innerText()).toBe(
      'Now MC60CAR01A13',
    );
    const seen = await seenProgress();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((entry) => /^[a-z_]+ \d{1,3} %$/.test(entry))).toBe(true);
    expect(await slot4.locator('[data-testid="scan-input"]').isEnabled()).toBe(true);
    expect(posts).toEqual([]); // this screen sent nothing
    expect(crashes).toEqual([]);
  }, 180_000);

  it('shows a screen opened mid-flash the running stage, then the same PASS as the first, also after a reload', async () => {
    const first = await openLine();
    const slot5 = tile(first.page, 5);
    await slot5.locator('[data-testid="scan-input"]').fill(labelImei(5));
    await slot5.locator('[data-testid="scan-input"]').press('Enter');
    // The station has started it (past `queued`) on the first screen.
    await first.page
      .waitForFunction(
        (selector) => {
          const stage = document
            .querySelector(`${selector} [data-testid="flash-stage"]`)
            ?.getAttribute('data-stage');
          return stage !== undefined && stage !== null && stage !== 'queued';
        },
        `[data-station-id="${stationId}"] [data-testid="slot-tile"][data-slot="5"]`,
        { timeout: UI_TIMEOUT_MS },
      )
      .catch(async (error: unknown) => {
        throw new Error(`tile 5 shows:\n${await slot5.innerText()}\n${await lineLogs(line)}`, {
          cause: error,
        });
      });

    // The second screen hears no flash event until released: what it shows comes from the line
    // state the server gave it when it started watching the station.
    let gate: FlashEventGate | undefined;
    const second = await openLine(async (page) => {
      gate = await gateFlashEvents(page);
    });
    const secondSlot5 = tile(second.page, 5);
    await secondSlot5
      .and(second.page.locator('[data-state="running"]'))
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        throw new Error(
          `the second screen's tile 5 shows:\n${await secondSlot5.innerText()}\nwhile the first shows:\n${await slot5.innerText()}`,
          { cause: error },
        );
      });
    const { stage: secondStage } = await shown(secondSlot5);
    expect(isStage(secondStage), `stage ${secondStage}`).toBe(true);
    expect(await secondSlot5.locator('[data-testid="flash-imei"]').innerText()).toBe(
      `IMEI ${labelImei(5)}`,
    );
    expect(await secondSlot5.locator('[data-testid="scan-input"]').isDisabled()).toBe(true);
    expect(await second.page.locator('[data-testid="watch-error"]').count()).toBe(0);
    // The flash moves on meanwhile, unseen by this screen.
    await expect.poll(() => gate?.held() ?? 0, { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(0);

    // Live again: both screens show the same thing, while it runs and at its end.
    gate?.release();
    await expect
      .poll(
        async () => {
          const [a, b] = await Promise.all([shown(slot5), shown(secondSlot5)]);
          return a.state === b.state && a.stage === b.stage
            ? 'same'
            : `${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
        },
        { timeout: UI_TIMEOUT_MS },
      )
      .toBe('same');
    await waitForVerdict(slot5, 'passed');
    await waitForVerdict(secondSlot5, 'passed');
    // textContent, not innerText: a supervisor's screen may show an alert bar above the tiles,
    // and a tile with less room shows the same verdict as one summary line instead of two.
    const verdict = await slot5.locator('[data-testid="flash-verdict"]').textContent();
    expect(await slot5.locator('[data-testid="tile-state"]').innerText()).toMatch(/^PASS\s+✓$/);
    expect(verdict).toContain(`IMEI ${labelImei(5)}`);
    expect(await secondSlot5.locator('[data-testid="flash-verdict"]').textContent()).toBe(verdict);

    // A reload and a screen opened afterwards show the same verdict: no event will come for it.
    await second.page.reload();
    await stationShown(second.page);
    const third = await openLine();
    for (const page of [second.page, third.page]) {
      await waitForVerdict(tile(page, 5), 'passed');
      expect(await tile(page, 5).locator('[data-testid="flash-verdict"]').textContent()).toBe(
        verdict,
      );
      expect(await tile(page, 5).locator('[data-testid="scan-input"]').isEnabled()).toBe(true);
    }
    expect([...first.crashes, ...second.crashes, ...third.crashes]).toEqual([]);
  }, 180_000);

  it('shows a reloaded and a new screen the same FAIL, hint and both IMEIs as the first', async () => {
    const first = await openLine();
    // Slot 6 holds the module labelled serial 100006; this label belongs to none in the jig.
    const wrongLabel = testImei(100_016);
    await startThroughApi(6, wrongLabel);
    const slot6 = tile(first.page, 6);
    await waitForVerdict(slot6, 'failed');
    // Compared as words, not as laid out: which lines a tile shows depends on its size (the
    // supervisor's alert bar takes room), so a second screen may show a shorter summary.
    const verdictOf = (page: Page) =>
      tile(page, 6)
        .locator('[data-testid="flash-verdict"]')
        .evaluate((el) => ({ title: el.getAttribute('title'), words: el.textContent }));
    const verdict = await verdictOf(first.page);
    expect(verdict.title).toContain('FS_IMEI_MISMATCH');
    expect(await slot6.locator('[data-testid="tile-state"]').innerText()).toMatch(/^FAIL\s+✕$/);
    expect(await slot6.locator('[data-testid="flash-hint"]').innerText()).toBe(
      'Module IMEI differs from its label: put in quarantine tray.',
    );
    expect(await slot6.locator('[data-testid="flash-mismatch"]').innerText()).toBe(
      `Label and module do not match: the label says ${wrongLabel}, the module reports ${labelImei(6)}`,
    );

    await first.page.reload();
    await stationShown(first.page);
    const other = await openLine();
    for (const page of [first.page, other.page]) {
      await waitForVerdict(tile(page, 6), 'failed');
      expect(await tile(page, 6).getAttribute('data-state')).toBe('failed');
      await expect.poll(() => verdictOf(page), { timeout: 10_000 }).toEqual(verdict);
    }
    expect([...first.crashes, ...other.crashes]).toEqual([]);
  }, 180_000);

  it("shows a slot offline on every screen while its adapter's port is gone", async () => {
    const { page, crashes } = await openLine();
    const slot7 = tile(page, 7);
    expect(await slot7.getAttribute('data-state')).toBe('idle');
    const port = join(line.jigDir, 'slot-07');
    const unplugged = `${port}.unplugged`;
    await rename(port, unplugged);
    session.onCleanup(() => rename(unplugged, port).catch(() => {}));

    await slot7
      .and(page.locator('[data-state="offline"]'))
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        throw new Error(`tile 7 shows:\n${await slot7.innerText()}\n${await lineLogs(line)}`, {
          cause: error,
        });
      });
    expect(await slot7.locator('[data-testid="slot-offline"]').innerText()).toBe(
      'Port missing: check this slot’s USB adapter and cable',
    );
    expect(await slot7.locator('[data-testid="scan-input"]').isDisabled()).toBe(true);
    // The rest of the station still works.
    expect(await tile(page, 1).getAttribute('data-state')).not.toBe('offline');
    const other = await openLine();
    expect(await tile(other.page, 7).getAttribute('data-state')).toBe('offline');

    await rename(unplugged, port);
    await slot7.and(page.locator('[data-state="idle"]')).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await slot7.locator('[data-testid="scan-input"]').isEnabled()).toBe(true);
    expect([...crashes, ...other.crashes]).toEqual([]);
  }, 60_000);
});
