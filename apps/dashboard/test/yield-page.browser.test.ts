// The supervisors' yield page (issue #10 §4) in a real browser. Real: the built dashboard, apps/
// server on its own fresh database and Redis prefix (not the shared line: the page shows the
// whole line's figures, and other files flash there meanwhile), a real station agent with an
// emulated two-slot jig. A supervisor opens /yield; an emulated module passes in slot 1, then a
// label that is not the module in slot 2 fails FS_IMEI_MISMATCH (9403); the page follows both
// live, without a reload and without ever blanking a figure, and fits a laptop and a wall screen.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { labelImei, repoRoot, uniqueImei, uniquePrefix, waitFor } from '@station/testkit';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLASH_TIMEOUT_MS, UI_TIMEOUT_MS, useBrowser, VIEWPORT } from './support/browser';
import { startJigStation, startLineStack, type LineStack } from './support/line-stack';
import { apiAs, asUser, OPERATOR_BADGE, signInThroughApi, type SignedIn } from './support/people';
import { inspectScreenshot } from './support/screenshot';

const session = useBrowser();
const STATION_UP_MS = 60_000;
/** Kept after the run to look at (`.run/` is git-ignored). */
const SHOTS_DIR = join(repoRoot, '.run/test-output/yield-page');
const IMEI_MISMATCH = '9403';

const figure = (page: Page, id: string) =>
  page.locator(`[data-testid="figure"][data-figure="${id}"] [data-testid="figure-value"]`);
const heatCell = (page: Page, stationId: string, slot: number) =>
  page.locator(`[data-testid="heat-cell"][data-station-id="${stationId}"][data-slot="${slot}"]`);

/** Waits until the figure reads `text` (the page refetches about a second after a result). */
async function figureReads(page: Page, id: string, text: string): Promise<void> {
  await page
    .locator(`[data-testid="figure"][data-figure="${id}"] [data-testid="figure-value"]`, {
      hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    })
    .waitFor({ timeout: FLASH_TIMEOUT_MS })
    .catch(async (error: unknown) => {
      const shown = await figure(page, id)
        .innerText()
        .catch(() => '(none)');
      throw new Error(`figure ${id} never read "${text}", it reads "${shown}"`, { cause: error });
    });
}

/** Everything on the page that runs past the screen's right edge, as sentences. */
function sidewaysMisfits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) {
      problems.push(
        `the page is ${document.documentElement.scrollWidth}px wide on a ${width}px screen`,
      );
    }
    const panels = document.querySelectorAll<HTMLElement>(
      '[data-testid="yield-page"] section, [data-testid="figure"]',
    );
    for (const panel of panels) {
      const box = panel.getBoundingClientRect();
      if (box.left < -1 || box.right > width + 1) {
        problems.push(`${panel.dataset.testid ?? panel.tagName} spans ${box.left}–${box.right}`);
      }
      if (panel.scrollWidth > panel.clientWidth + 1) {
        problems.push(`${panel.dataset.testid ?? panel.tagName}'s content overflows it sideways`);
      }
    }
    return problems;
  });
}

/**
 * Two 12-hour shifts whose boundaries are 6 hours either side of now (UTC, the line's default
 * zone): both flashes land in the current shift whenever the suite runs.
 */
function shiftsAroundNow(): string {
  const now = new Date();
  const startHour = (now.getUTCHours() + 18) % 24;
  const hh = (hour: number) => `${String(hour % 24).padStart(2, '0')}:00`;
  return `${hh(startHour)}-${hh(startHour + 12)},${hh(startHour + 12)}-${hh(startHour)}`;
}

describe('the yield page follows the line live', { timeout: 300_000 }, () => {
  let line: LineStack;
  let supervisor: SignedIn;
  const stationId = uniquePrefix('yield-jig');

  beforeAll(async () => {
    line = await startLineStack('yieldpage', { SHIFTS: shiftsAroundNow() });
    session.onCleanup(() => line.stop());
    const station = line.track(await startJigStation(line, { stationId, slots: 2 }));
    supervisor = await signInThroughApi(line.serverUrl, asUser('supervisor'));
    await waitFor(
      `station ${stationId} to show as connected`,
      async () => {
        if (!station.running()) throw new Error(`station exited:\n${station.current.output()}`);
        const health = (await (await fetch(`${line.serverUrl}/api/health`)).json()) as {
          stations?: { stationId: string; connected: boolean }[];
        };
        return health.stations?.some((s) => s.stationId === stationId && s.connected);
      },
      { timeoutMs: STATION_UP_MS, intervalMs: 250 },
    );
  }, 180_000);

  const flash = async (slot: number, label: string) => {
    const answer = await apiAs(supervisor, `${line.serverUrl}/api/flash-jobs`, {
      method: 'POST',
      json: { stationId, slot, label },
    });
    expect(answer.status, answer.body).toBe(202);
  };

  it('shows the shift, then a pass and a failure as they are stored: yield, Pareto, heat map', async () => {
    const { page, crashes } = await session.openPage(`${line.dashboardUrl}/yield`, {
      as: supervisor,
    });
    await page.locator('[data-testid="live-link"][data-state="live"]').waitFor({
      timeout: UI_TIMEOUT_MS,
    });
    await figureReads(page, 'units', '0');
    expect(await figure(page, 'first-pass').innerText()).toBe('—');
    expect(await page.locator('[data-testid="shift-key"]').innerText()).toMatch(
      /^Shift \d{4}-\d{2}-\d{2} \d{2}:00-\d{2}:00 · UTC$/,
    );
    expect(
      await page.locator('[data-testid="figure"][data-figure="per-hour"]').innerText(),
    ).toContain('target 60');
    // Both slots of the station, live, and in the heat map with no units yet.
    await page
      .locator(
        `[data-testid="strip-station"][data-station-id="${stationId}"] [data-testid="strip-slot"]`,
      )
      .nth(1)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await heatCell(page, stationId, 2).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(
      await heatCell(page, stationId, 1).locator('[data-testid="heat-yield"]').innerText(),
    ).toBe('—');
    expect(await page.locator('[data-testid="pareto-row"]').count()).toBe(0);

    // From here every text the units figure shows is recorded, and the page is marked: a reload
    // would lose the mark, a spinner or a blank in between would show in the record.
    await page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { unitsSeen: seen, notReloaded: true });
      const value = document.querySelector(
        '[data-testid="figure"][data-figure="units"] [data-testid="figure-value"]',
      )!;
      new MutationObserver(() => seen.push(value.textContent ?? '')).observe(value, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });

    await flash(1, labelImei(1));
    await figureReads(page, 'units', '1');
    await figureReads(page, 'first-pass', '100 %');
    expect(await figure(page, 'final').innerText()).toBe('100 %');
    await heatCell(page, stationId, 1)
      .locator('[data-testid="heat-yield"]', { hasText: '100 %' })
      .waitFor({ timeout: UI_TIMEOUT_MS });

    // A label that is not the module seated in slot 2: FS_IMEI_MISMATCH, never retried.
    await flash(2, uniqueImei());
    await figureReads(page, 'units', '2');
    await figureReads(page, 'first-pass', '50 %');
    expect(await figure(page, 'final').innerText()).toBe('50 %');
    expect(await figure(page, 'retest').innerText()).toBe('0 %');
    const bar = page.locator(`[data-testid="pareto-row"][data-key="${IMEI_MISMATCH}"]`);
    await bar.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await bar.innerText()).toMatch(/^9403 FS_IMEI_MISMATCH\s+1\s+100 %$/);
    // The chart draws its bar too (recharts, in the SVG).
    expect(
      await page.locator('[data-testid="pareto"] .recharts-bar-rectangle').count(),
    ).toBeGreaterThan(0);
    const failing = heatCell(page, stationId, 2);
    await failing
      .locator('[data-testid="heat-yield"]', { hasText: '0 %' })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await failing.getAttribute('data-units')).toBe('1');
    expect(await failing.innerText()).toMatch(/^2\s+0 %\s+1 u$/);
    await page
      .locator(
        `[data-testid="strip-station"][data-station-id="${stationId}"] [data-testid="strip-slot"][data-slot="2"][data-state="failed"]`,
      )
      .waitFor({ timeout: UI_TIMEOUT_MS });

    const record = await page.evaluate(() => {
      const w = window as unknown as { unitsSeen: string[]; notReloaded?: boolean };
      return { seen: w.unitsSeen, notReloaded: w.notReloaded === true };
    });
    expect(record.notReloaded).toBe(true);
    // Straight from one figure to the next: never blank, never a placeholder.
    expect(
      record.seen.every((text) => /^\d+$/.test(text)),
      record.seen.join(','),
    ).toBe(true);
    expect(record.seen).toEqual(expect.arrayContaining(['1', '2']));

    // The hour chart plotted the shift's units (an SVG bar), the legend explains the heat map.
    expect(
      await page.locator('[data-testid="hourly-chart"] .recharts-bar-rectangle').count(),
    ).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="heat-legend"]').innerText()).toContain('no units');
    expect(crashes).toEqual([]);
  });

  it('fits a 1280×800 laptop and a 1920×1080 wall screen without sideways scrolling', async () => {
    const { page, crashes } = await session.openPage(`${line.dashboardUrl}/yield`, {
      as: supervisor,
    });
    await heatCell(page, stationId, 2).waitFor({ timeout: UI_TIMEOUT_MS });
    await figureReads(page, 'units', '2');
    for (const screen of [VIEWPORT, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(screen);
      // Two panels side by side at both sizes.
      const [chart, pareto] = await Promise.all(
        ['hourly-chart', 'pareto'].map((id) => page.locator(`[data-testid="${id}"]`).boundingBox()),
      );
      expect(chart && pareto && Math.abs(chart.y - pareto.y) < 2).toBe(true);
      expect(await sidewaysMisfits(page)).toEqual([]);
      await mkdir(SHOTS_DIR, { recursive: true });
      const shot = join(SHOTS_DIR, `yield-${screen.width}x${screen.height}.png`);
      await page.screenshot({ path: shot });
      const facts = await inspectScreenshot(shot);
      expect([facts.width, facts.height]).toEqual([screen.width, screen.height]);
      expect(facts.distinctColours).toBeGreaterThan(20);
    }
    expect(crashes).toEqual([]);
  });

  it('lists a slot a supervisor disabled, and puts it back with a reason from the page', async () => {
    const { page, crashes } = await session.openPage(`${line.dashboardUrl}/yield`, {
      as: supervisor,
    });
    await page.locator('[data-testid="live-link"][data-state="live"]').waitFor({
      timeout: UI_TIMEOUT_MS,
    });
    await figureReads(page, 'units', '2');
    // The Pareto by slot instead of error code: the failing slot is the one cause.
    await page.locator('[data-testid="pareto-by"]').selectOption('slot');
    await page
      .locator(
        `[data-testid="pareto"][data-by="slot"] [data-testid="pareto-row"][data-key="${stationId}/2"]`,
      )
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator('[data-testid="pareto-row"]').count()).toBe(1);
    expect(await page.locator('[data-testid="held-slot"]').count()).toBe(0);
    // Disabled elsewhere (a script): the page hears the slot's status and lists it, live.
    const disabled = await apiAs(
      supervisor,
      `${line.serverUrl}/api/stations/${stationId}/slots/1/disable`,
      { method: 'POST', json: { reason: 'pogo pin bent' } },
    );
    expect(disabled.status, disabled.body).toBe(200);
    const held = page.locator('[data-testid="held-slot"]');
    await held.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await held.innerText()).toContain(`${stationId} slot 1 (slot-01) ⊝ DISABLED`);
    expect(await held.innerText()).toContain('pogo pin bent');
    await page
      .locator(
        `[data-testid="strip-station"][data-station-id="${stationId}"] [data-testid="strip-slot"][data-slot="1"][data-state="disabled"]`,
      )
      .waitFor({ timeout: UI_TIMEOUT_MS });

    await held.locator('[data-testid="decision-release-slot"]').click();
    // Too short a reason: the server's sentence, and the slot stays listed.
    await held.locator('[data-testid="decision-reason"]').fill('ok');
    await held.locator('[data-testid="decision-confirm"]').click();
    await held.locator('[role="alert"]').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await held.locator('[role="alert"]').innerText()).toContain('say in a few words why');
    await held.locator('[data-testid="decision-reason"]').fill('pin replaced');
    await held.locator('[data-testid="decision-confirm"]').click();
    await held.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await page
      .locator(
        `[data-testid="strip-station"][data-station-id="${stationId}"] [data-testid="strip-slot"][data-slot="1"]:not([data-state="disabled"])`,
      )
      .waitFor({ timeout: UI_TIMEOUT_MS });
    const audit = await apiAs(supervisor, `${line.serverUrl}/api/audit-events?limit=5`);
    expect(audit.body).toContain('pin replaced');
    expect(crashes).toEqual([]);
  });

  it('tells an operator the page is not for their role, and shows no figure', async () => {
    const operator = await signInThroughApi(line.serverUrl, {
      badge: OPERATOR_BADGE,
      stationId,
    });
    const { page, crashes } = await session.openPage(`${line.dashboardUrl}/yield`, {
      as: operator,
    });
    const notice = page.locator('[data-testid="not-for-role"]');
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await notice.innerText()).toContain('The yield page is not for your role');
    expect(await page.locator('[data-testid="yield-page"]').count()).toBe(0);
    expect(crashes).toEqual([]);
  });
});
