// A browser test's own station agent on the shared line (a slot count the shared station does
// not have), and the wait for a page to show it connected and followed: the set-up the
// tile-sizing tests (screen-fit, tile-words) share before they look at tiles.
import { uniquePrefix, waitFor, WaitAbortedError, type StationApp } from '@station/testkit';
import type { Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './browser';
import { startJigStation } from './line-stack';
import { apiAs } from './people';
import { lineLogs, type SharedLine } from './shared-line';
import { stopAndRelease } from './stop-process';

export interface OwnStation {
  stationId: string;
  app: StationApp;
}

/**
 * A real station agent with `slots` emulated slots, returned once the server shows it connected
 * with all of them; stopped again if it never does.
 */
export async function startOwnStation(
  line: SharedLine,
  options: { name: string; slots: number; timeoutMs: number },
): Promise<OwnStation> {
  const { slots } = options;
  const stationId = uniquePrefix(`${options.name}-${slots}`);
  const app = await startJigStation(line, { stationId, slots });
  try {
    await waitFor(
      `station ${stationId} with ${slots} slots to show as connected`,
      async () => {
        if (!app.running()) throw new WaitAbortedError(`it exited:\n${app.current.output()}`);
        const reply = await apiAs(line.supervisor, `${line.serverUrl}/api/stations/${stationId}`);
        const body =
          reply.status === 200
            ? (JSON.parse(reply.body) as { connected?: boolean; slots?: unknown[] })
            : {};
        return body.connected === true && body.slots?.length === slots;
      },
      { timeoutMs: options.timeoutMs, intervalMs: 250 },
    );
    return { stationId, app };
  } catch (error) {
    await stopAndRelease(app).catch(() => {});
    throw error;
  }
}

/** Waits until the page shows the station connected and followed, or says why not (the logs). */
export async function waitForStationShown(
  page: Page,
  line: SharedLine,
  stationId: string,
): Promise<void> {
  await page
    .locator(
      `[data-testid="station"][data-station-id="${stationId}"][data-following="true"] [data-testid="station-connection"][data-state="connected"]`,
    )
    .waitFor({ timeout: UI_TIMEOUT_MS })
    .catch(async (error: unknown) => {
      throw new Error(`station ${stationId} never showed:\n${await lineLogs(line)}`, {
        cause: error,
      });
    });
}
