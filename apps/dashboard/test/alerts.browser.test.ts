// Alerts on the supervisors' yield page (issue #12 §2 "Shows it") in a real browser. Real: the
// built dashboard, apps/server on its own fresh database and Redis prefix (alerts are about the
// whole line: the shared line's flashes would fire some), a real station agent with an emulated
// two-slot jig. The server evaluates every 200 ms and calls a slot silent once one unit finished
// beside it. A module passes in slot 1: slot 2, never used, is silent, and the page shows that
// alert with its action without a reload, as does the line view; a module in slot 2 clears it and
// both pages drop it.
import { labelImei, uniquePrefix, waitFor } from '@station/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLASH_TIMEOUT_MS, UI_TIMEOUT_MS, useBrowser } from './support/browser';
import { startJigStation, startLineStack, type LineStack } from './support/line-stack';
import { apiAs, asUser, signInThroughApi, type SignedIn } from './support/people';

const session = useBrowser();
const STATION_UP_MS = 60_000;

describe('the yield page shows alerts live', { timeout: 300_000 }, () => {
  let line: LineStack;
  let supervisor: SignedIn;
  const stationId = uniquePrefix('alert-jig');

  beforeAll(async () => {
    line = await startLineStack('alertspage', {
      ALERT_EVALUATE_MS: '200',
      ALERT_SILENT_NEIGHBOUR_UNITS: '1',
    });
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

  it('shows a firing alert with its action, and removes it when it clears', async () => {
    const { page, crashes } = await session.openPage(`${line.dashboardUrl}/yield`, {
      as: supervisor,
    });
    await page.locator('[data-testid="alerts-none"]').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    await flash(1, labelImei(1));
    const silent = page.locator(
      `[data-testid="alert"][data-alert-id="slot_silent:${stationId}/2"]`,
    );
    await silent.waitFor({ timeout: FLASH_TIMEOUT_MS });
    expect(await silent.getAttribute('data-severity')).toBe('warning');
    const text = await silent.innerText();
    expect(text).toContain('Slot silent');
    expect(text).toContain(`Slot 2 of ${stationId} has finished nothing yet`);
    expect(await silent.locator('[data-testid="alert-action"]').innerText()).toMatch(
      /^Action: Supervisor: see whether the operator skips this slot/,
    );
    expect(await page.locator('[data-testid="alerts-none"]').count()).toBe(0);
    // The line view shows it too, one line, for a supervisor.
    const onLine = await session.openPage(`${line.dashboardUrl}/`, { as: supervisor });
    const silentOnLine = onLine.page.locator(
      `[data-testid="alert"][data-alert-id="slot_silent:${stationId}/2"]`,
    );
    await silentOnLine.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await silentOnLine.innerText()).toContain(`Slot 2 of ${stationId}`);

    await flash(2, labelImei(2));
    await silent.waitFor({ state: 'detached', timeout: FLASH_TIMEOUT_MS });
    await page.locator('[data-testid="alerts-none"]').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator('[data-testid="alert"]').count()).toBe(0);
    // The line view keeps no empty alert box once none fire.
    await onLine.page.locator('[data-testid="alerts"]').waitFor({
      state: 'detached',
      timeout: UI_TIMEOUT_MS,
    });
    expect(onLine.crashes).toEqual([]);
    // Live: the same page all along, no reload.
    expect(await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(crashes).toEqual([]);
  });
});
