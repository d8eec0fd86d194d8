// The operator screen fits the jig (issue #9 §9), in a real browser against the shared line
// (test/support/global-setup.ts): for 8, 16, 32 and 64 slots — a real station agent of its own
// with that many emulated slots, one per slot count, joined to the shared server — the kiosk
// (1920×1080) and the tablet (1280×800) show every tile inside the screen and no tile's text runs
// out of its box, with FAIL tiles and a long refusal sentence on it. Also: every state says its
// word and symbol and has its own border, the optional sound follows its toggle, and the line's
// judgement (power prompt, retry, quarantine, suspect slot) shows — carried in on the real
// server's socket, since the server does not produce it yet.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { labelImei, repoRoot, uniqueImei } from '@station/testkit';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlashResultEvent } from '@station/contracts';
import { TILE_LOOKS, type TileLookState } from '../src/lib/tile-look';
import { FLASH_TIMEOUT_MS, UI_TIMEOUT_MS, useBrowser } from './support/browser';
import { seatFreshModule } from './support/jig-modules';
import { injectLineEvents, type LineEventInjector } from './support/line-event-injector';
import { OPERATOR_BADGE, signInThroughApi, type SignedIn } from './support/people';
import { startOwnStation, waitForStationShown, type OwnStation } from './support/own-station';
import { lineLogs, sharedLine } from './support/shared-line';
import { stopAndRelease } from './support/stop-process';

const session = useBrowser();
const line = sharedLine();

const SCREENS = [
  { name: 'kiosk', width: 1920, height: 1080 },
  { name: 'tablet', width: 1280, height: 800 },
] as const;

/** Kept after the run (the scratch folder is not): look at them. `.run/` is git-ignored. */
const SHOTS_DIR = join(repoRoot, '.run/test-output/screen-fit');

/** A label a scanner could send that holds no IMEI at all: refused with one long sentence. */
const UNREADABLE_LABEL =
  'LOT-A7/MODEL-MC60CA/SN-QX-UNREADABLE-LABEL-WITHOUT-ANY-IMEI-IN-IT/DATE-27NOV/REV-B';

/**
 * Everything in the tiles that does not fit, as sentences: a tile off the screen, content
 * overflowing a tile, an element sticking out of its tile, or a box whose content overflows it
 * unless it is deliberately cut (ellipsis or line clamp) with its full text in a title.
 */
function misfits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const slack = 1; // sub-pixel rounding
    for (const tile of document.querySelectorAll<HTMLElement>('[data-testid="slot-tile"]')) {
      const slot = tile.dataset.slot;
      const box = tile.getBoundingClientRect();
      if (
        box.left < -slack ||
        box.top < -slack ||
        box.right > window.innerWidth + slack ||
        box.bottom > window.innerHeight + slack
      ) {
        problems.push(
          `tile ${slot} at ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)} runs off the ${window.innerWidth}×${window.innerHeight} screen`,
        );
      }
      if (
        tile.scrollHeight > tile.clientHeight + slack ||
        tile.scrollWidth > tile.clientWidth + slack
      ) {
        problems.push(`tile ${slot}'s content overflows it`);
      }
      for (const element of tile.querySelectorAll<HTMLElement>('*')) {
        if (element.getClientRects().length === 0) continue; // not rendered at this density
        const style = getComputedStyle(element);
        const text = (element.textContent ?? '').trim();
        const rect = element.getBoundingClientRect();
        if (
          rect.left < box.left - slack ||
          rect.top < box.top - slack ||
          rect.right > box.right + slack ||
          rect.bottom > box.bottom + slack
        ) {
          problems.push(`tile ${slot}: "${text.slice(0, 60)}" sticks out of the tile`);
        }
        if (style.display === 'inline' || element instanceof SVGElement) continue;
        const overflows =
          element.scrollWidth > element.clientWidth + slack ||
          element.scrollHeight > element.clientHeight + slack;
        if (!overflows) continue;
        const cut =
          style.textOverflow === 'ellipsis' ||
          (style as unknown as { webkitLineClamp: string }).webkitLineClamp !== 'none';
        const titled = element.closest('[title]')?.getAttribute('title')?.includes(text) === true;
        if (!cut || !titled || text === '') {
          problems.push(
            `tile ${slot}: "${text.slice(0, 60)}" overflows its box (${element.scrollWidth}×${element.scrollHeight} in ${element.clientWidth}×${element.clientHeight}) without an ellipsis and its full text in a title`,
          );
        }
      }
    }
    return problems;
  });
}

/** The grid re-measures on resize: waits until every tile is inside the new screen, or a while. */
async function settled(page: Page, screen: { width: number; height: number }): Promise<void> {
  await page
    .waitForFunction(
      ({ width, height }) =>
        [...document.querySelectorAll('[data-testid="slot-tile"]')].every((tile) => {
          const box = tile.getBoundingClientRect();
          return box.right <= width + 1 && box.bottom <= height + 1;
        }),
      screen,
      { timeout: UI_TIMEOUT_MS },
    )
    .catch(() => {}); // misfits() says what does not fit
}

/** The station of its own and the operator at its kiosk: the screen shows this station only. */
interface KioskStation extends OwnStation {
  operator: SignedIn;
}

async function startKioskStation(slots: number): Promise<KioskStation> {
  const own = await startOwnStation(line, { name: 'fit', slots, timeoutMs: 120_000 });
  try {
    const operator = await signInThroughApi(line.serverUrl, {
      badge: OPERATOR_BADGE,
      stationId: own.stationId,
    });
    return { ...own, operator };
  } catch (error) {
    await stopAndRelease(own.app).catch(() => {});
    throw error;
  }
}

async function openKiosk(
  own: KioskStation,
  before?: (page: Page) => Promise<unknown>,
): Promise<Page> {
  const { page, crashes } = await session.openPage(
    `${line.dashboardUrl}/?station=${own.stationId}`,
    { as: own.operator, before },
  );
  session.onCleanup(async () => expect(crashes).toEqual([]));
  await page.setViewportSize(SCREENS[0]);
  await waitForStationShown(page, line, own.stationId);
  return page;
}

const tileOf = (page: Page, slot: number): Locator =>
  page.locator(`[data-testid="slot-tile"][data-slot="${slot}"]`);

async function scanAt(page: Page, slot: number, label: string): Promise<void> {
  const input = tileOf(page, slot).locator('[data-testid="scan-input"]');
  await input.fill(label);
  await input.press('Enter');
}

async function waitForState(page: Page, slot: number, states: TileLookState[], timeout: number) {
  const selector = states.map((state) => `[data-state="${state}"]`).join(',');
  await tileOf(page, slot)
    .and(page.locator(selector))
    .waitFor({ timeout })
    .catch(async (error: unknown) => {
      throw new Error(
        `tile ${slot} never became ${states.join(' or ')}, it shows:\n${await tileOf(page, slot).innerText()}\n${await lineLogs(line)}`,
        { cause: error },
      );
    });
}

/** The tile's chip says its state's word and symbol. */
async function expectWordAndSymbol(page: Page, slot: number): Promise<void> {
  const tile = tileOf(page, slot);
  const state = (await tile.getAttribute('data-state')) as TileLookState;
  const look = TILE_LOOKS[state];
  const chip = tile.locator('[data-testid="tile-state"]');
  expect(await chip.locator('span').first().innerText()).toBe(look.word);
  expect(await chip.getAttribute('data-symbol')).toBe(look.symbol);
  expect(await chip.getAttribute('role')).toBe('status');
  expect(await tile.getAttribute('aria-label')).toBe(`Slot ${slot}: ${look.word}`);
}

/** Slots that get a wrong-but-valid IMEI: the first two, one in the middle, the last. */
const failSlots = (count: number) => [1, 2, Math.ceil(count / 2), count];

describe.each([8, 16, 32, 64])('%i slots on the kiosk and the tablet', (count) => {
  let own: KioskStation;

  beforeAll(async () => {
    own = await startKioskStation(count);
  }, 150_000);

  // One station per slot count: stopped before the next one starts.
  afterAll(async () => {
    if (own) await stopAndRelease(own.app);
  }, 60_000);

  if (count === 8) {
    it('plays the optional sound only when its toggle is on, and keeps the toggle across reloads', async () => {
      const page = await openKiosk(own);
      const view = page.locator('[data-testid="line-view"]');
      const toggle = page.locator('[data-testid="sound-toggle"]');
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      await toggle.click();
      expect(await toggle.getAttribute('aria-pressed')).toBe('true');
      expect(await page.evaluate(() => localStorage.getItem('flash-station.sound'))).toBe('on');

      await page.reload();
      await page
        .locator('[data-testid="sound-toggle"][aria-pressed="true"]')
        .waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await view.getAttribute('data-tones-played')).toBe('0'); // nothing sounds on opening

      await scanAt(page, 7, uniqueImei());
      await waitForState(page, 7, ['failed'], FLASH_TIMEOUT_MS);
      await page
        .locator('[data-testid="line-view"][data-last-tone="fail"]')
        .waitFor({ timeout: UI_TIMEOUT_MS });
      const played = Number(await view.getAttribute('data-tones-played'));
      expect(played).toBeGreaterThanOrEqual(1);

      // Off again: the next result plays nothing.
      await page.locator('[data-testid="sound-toggle"]').click();
      expect(await page.evaluate(() => localStorage.getItem('flash-station.sound'))).toBe('off');
      await scanAt(page, 7, uniqueImei());
      await waitForState(page, 7, ['failed'], FLASH_TIMEOUT_MS);
      expect(Number(await view.getAttribute('data-tones-played'))).toBe(played);
    }, 300_000);
  }

  if (count === 64) {
    it("shows the line's judgement (prompt, retry, quarantine, suspect slot) and still fits", async () => {
      // The server does not send these yet (other parts of issue #9 build them): the real
      // server's socket carries them in, exactly as the contracts define them.
      let inject: LineEventInjector | undefined;
      const page = await openKiosk(own, async (p) => {
        inject = await injectLineEvents(p);
      });
      const { stationId } = own;
      const failed = (slot: number, attemptId: string, more: Partial<FlashResultEvent>) =>
        inject!.result({
          v: 1,
          attemptId,
          stationId,
          slot,
          imei: labelImei(slot),
          outcome: 'failed',
          errorCode: 2004,
          errorName: 'S_BROM_CMD_STARTCMD_FAIL',
          stage: 'brom',
          reportedImei: null,
          operatorHint: 'Power-cycle the module and scan again',
          revisionBefore: null,
          revisionAfter: null,
          durationMs: 30_000,
          endedAt: new Date().toISOString(),
          ...more,
        });

      // Slot 5: manual power, the handshake waits for the operator.
      const until = new Date(Date.now() + 90_000).toISOString();
      inject!.progress({
        v: 1,
        attemptId: 'judge-5',
        stationId,
        slot: 5,
        imei: labelImei(5),
        stage: 'brom',
        percent: 0,
        prompt: { kind: 'power-cycle', until, round: 1 },
      });
      await waitForState(page, 5, ['prompt'], UI_TIMEOUT_MS);
      const prompt = tileOf(page, 5).locator('[data-testid="flash-prompt"]');
      expect(await prompt.innerText()).toBe('Power-cycle the module now');
      const countdown = tileOf(page, 5).locator('[data-testid="flash-countdown"]');
      const first = Number(await countdown.getAttribute('data-seconds'));
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(90);
      // It counts down live (no clock is asserted: only that it moves down).
      await page.waitForFunction(
        (start) =>
          Number(
            document
              .querySelector('[data-slot="5"] [data-testid="flash-countdown"]')
              ?.getAttribute('data-seconds'),
          ) < start,
        first,
        { timeout: UI_TIMEOUT_MS },
      );
      expect(await tileOf(page, 5).locator('[data-testid="scan-input"]').isDisabled()).toBe(true);

      // Slot 6: line errors, retried at the next lower baud; the tile follows the retry.
      failed(6, 'judge-6a', {
        errorName: 'S_FT_DA_LINE_ERROR',
        retry: { attemptId: 'judge-6b', baud: 460800, reason: 'baud' },
      });
      await waitForState(page, 6, ['retrying'], UI_TIMEOUT_MS);
      inject!.progress({
        v: 1,
        attemptId: 'judge-6b',
        stationId,
        slot: 6,
        imei: labelImei(6),
        stage: 'write',
        percent: 40,
      });
      await tileOf(page, 6)
        .locator('[data-testid="flash-stage"][data-stage="write"]')
        .waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
      expect(await tileOf(page, 6).getAttribute('data-state')).toBe('retrying');
      expect(await tileOf(page, 6).locator('[data-testid="flash-retry"]').textContent()).toBe(
        'Retrying at 460800',
      );

      // Slot 9: a handshake timeout, retried with power.
      failed(9, 'judge-9a', { retry: { attemptId: 'judge-9b', baud: 921600, reason: 'power' } });
      await waitForState(page, 9, ['retrying'], UI_TIMEOUT_MS);
      expect(await tileOf(page, 9).locator('[data-testid="flash-retry"]').textContent()).toBe(
        'Retrying: power-cycle when asked',
      );

      // Slot 7: the module failed on two healthy slots: quarantined, with the reason.
      failed(7, 'judge-7', {
        stage: 'verify',
        errorName: 'S_FT_VERIFY_FAIL',
        decisions: [
          {
            kind: 'module.quarantined',
            subject: labelImei(7),
            reason: 'It failed on two healthy slots (3 and 7): put it in the quarantine tray',
            evidence: ['judge-3', 'judge-7'],
          },
        ],
      });
      await waitForState(page, 7, ['failed'], UI_TIMEOUT_MS);
      expect(await tileOf(page, 7).locator('[data-testid="flash-decision"]').textContent()).toBe(
        'Module quarantined: It failed on two healthy slots (3 and 7): put it in the quarantine tray',
      );

      // Slot 8: its failures rose while its neighbours passed: suspect, out of rotation.
      const reason = 'Slot 8 failed 4 of its last 5 while slots 7 and 9 passed';
      failed(8, 'judge-8', {
        decisions: [
          { kind: 'slot.suspect', subject: `${stationId}/8`, reason, evidence: ['judge-8'] },
        ],
      });
      await waitForState(page, 8, ['suspect'], UI_TIMEOUT_MS);
      expect(await tileOf(page, 8).locator('[data-testid="slot-hold"]').textContent()).toBe(reason);
      expect(await tileOf(page, 8).locator('[data-testid="scan-input"]').isDisabled()).toBe(true);

      await mkdir(SHOTS_DIR, { recursive: true });
      for (const screen of SCREENS) {
        await page.setViewportSize(screen);
        await settled(page, screen);
        await page.screenshot({ path: join(SHOTS_DIR, `judgement-${screen.name}.png`) });
        expect(await misfits(page), `judgement on the ${screen.name}`).toEqual([]);
        for (const slot of [5, 6, 7, 8, 9]) await expectWordAndSymbol(page, slot);
      }
      // The power symbol is drawn, not a glyph the font may lack.
      expect(await tileOf(page, 5).locator('[data-testid="tile-state"] svg').count()).toBe(1);
    }, 300_000);
  }

  it('fits every tile and all its text on both screens, with FAIL tiles and a refused label', async () => {
    const page = await openKiosk(own);
    const fails = failSlots(count);
    for (const slot of fails) await scanAt(page, slot, uniqueImei());
    const refusedSlot = fails[2]! + 1;
    await scanAt(page, refusedSlot, UNREADABLE_LABEL);
    // 8 slots: one module flashed through to PASS, for the PASS tile's look.
    const passSlot = count === 8 ? 3 : null;
    // A tile nobody scanned at (slot 7 of 8 has the sound test's results).
    const idleSlot = count === 8 ? 6 : count - 1;
    if (passSlot) await scanAt(page, passSlot, await seatFreshModule(own.app.jigDir, passSlot));

    for (const slot of fails) await waitForState(page, slot, ['failed'], FLASH_TIMEOUT_MS);
    await waitForState(page, refusedSlot, ['invalid', 'rejected'], UI_TIMEOUT_MS);
    const refusal = await tileOf(page, refusedSlot)
      .locator('[data-testid="flash-message"]')
      .textContent();
    expect(refusal?.length).toBeGreaterThan(60);
    if (passSlot) await waitForState(page, passSlot, ['passed'], FLASH_TIMEOUT_MS);

    // The FAIL's detail is in the tile: error name and code, and the operator's hint.
    const verdict = tileOf(page, fails[0]!).locator('[data-testid="flash-verdict"]');
    expect(await verdict.getAttribute('data-outcome')).toBe('failed');
    expect(await verdict.getAttribute('title')).toMatch(/IMEI_MISMATCH 9403 at .+ · .+/);

    await mkdir(SHOTS_DIR, { recursive: true });
    for (const screen of SCREENS) {
      await page.setViewportSize(screen);
      await settled(page, screen);
      expect(await page.locator('[data-testid="slot-tile"]').count()).toBe(count);
      await page.screenshot({ path: join(SHOTS_DIR, `${count}-slots-${screen.name}.png`) });
      expect(await misfits(page), `${count} slots on the ${screen.name}`).toEqual([]);
      for (const slot of [...fails, refusedSlot, ...(passSlot ? [passSlot] : []), idleSlot]) {
        await expectWordAndSymbol(page, slot);
      }
    }

    // Colour is never the only signal: idle, FAIL, refused (and PASS) tiles differ in border or
    // pattern too, as a greyscale screen shows them.
    const looks = await Promise.all(
      [idleSlot, fails[0]!, refusedSlot, ...(passSlot ? [passSlot] : [])].map((slot) =>
        tileOf(page, slot).evaluate((tile) => {
          const style = getComputedStyle(tile);
          return `${style.borderTopStyle} ${style.borderTopWidth} ${style.backgroundImage}`;
        }),
      ),
    );
    expect(new Set(looks).size).toBe(looks.length);
    // For a person to look at: the same screen as a greyscale display shows it.
    await page.addStyleTag({ content: 'html { filter: grayscale(1); }' });
    await page.screenshot({ path: join(SHOTS_DIR, `${count}-slots-greyscale.png`) });
  }, 420_000);
});
