// Every tile shows its words at every size the line uses, in a real browser against the shared
// line (test/support/global-setup.ts): for 1, 4, 16, 32, 64 and 128 slots — a real station agent
// of its own with that many emulated slots — on six common screens, each tile in turn FAIL (a
// long error and hint), PASS, running and waiting for a power cycle, its state word (FAIL, PASS,
// FLASHING, POWER-CYCLE NOW) must be visible and whole, and a verdict's panel must show at least
// one whole line. The results and progress are carried in on the real server's socket, so every
// tile changes at once.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlashProgressEvent, FlashResultEvent } from '@station/contracts';
import { labelImei, repoRoot } from '@station/testkit';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TILE_LOOKS } from '../src/lib/tile-look';
import { UI_TIMEOUT_MS, useBrowser } from './support/browser';
import { injectLineEvents, type LineEventInjector } from './support/line-event-injector';
import { OPERATOR_BADGE, signInThroughApi } from './support/people';
import { startOwnStation, waitForStationShown, type OwnStation } from './support/own-station';
import { sharedLine } from './support/shared-line';
import { stopAndRelease } from './support/stop-process';
import { unseenRevisions } from './support/revision-shown';
import { unseenWords, type TileExpectation } from './support/tile-visibility';

const session = useBrowser();
const line = sharedLine();

const SCREENS = [
  { name: '1280x720', width: 1280, height: 720 },
  { name: '1366x768', width: 1366, height: 768 },
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '2560x1440', width: 2560, height: 1440 },
  { name: 'portrait-1080x1920', width: 1080, height: 1920 },
  { name: 'jig-panel-800x480', width: 800, height: 480 },
] as const;

/** Kept after the run for a person to look at. `.run/` is git-ignored. */
const SHOTS_DIR = join(repoRoot, '.run/test-output/tile-words');

const LONG_HINT =
  'Power-cycle the module, reseat it firmly in its socket and scan its label again; if it fails twice, put it in the quarantine tray';

const NEW_REVISION = 'MC60CAR01A13';

type Shown = 'failed' | 'passed' | 'running' | 'prompt';
/** The prompt (manual power, the operator must act) has the longest word: POWER-CYCLE NOW. */
const ROUNDS: readonly Shown[] = ['failed', 'passed', 'running', 'prompt'];

/** Puts `slot` into `shown` through the socket, as the server would; attempt ids never repeat. */
function show(
  inject: LineEventInjector,
  stationId: string,
  slot: number,
  shown: Shown,
  round: number,
): void {
  const attemptId = `words-${slot}-${round}`;
  const imei = labelImei(slot);
  if (shown === 'running' || shown === 'prompt') {
    const progress: FlashProgressEvent = {
      v: 1,
      attemptId,
      stationId,
      slot,
      imei,
      ...(shown === 'running'
        ? { stage: 'write', percent: 42 }
        : {
            stage: 'brom',
            percent: 0,
            prompt: {
              kind: 'power-cycle',
              until: new Date(Date.now() + 10 * 60_000).toISOString(),
              round: 1,
            },
          }),
    };
    inject.progress(progress);
    return;
  }
  const result: FlashResultEvent = {
    v: 1,
    attemptId,
    stationId,
    slot,
    imei,
    outcome: shown,
    errorCode: shown === 'failed' ? 2004 : null,
    errorName: shown === 'failed' ? 'S_BROM_CMD_STARTCMD_FAIL' : null,
    stage: shown === 'failed' ? 'brom' : 'postflight',
    reportedImei: shown === 'failed' ? null : imei,
    operatorHint: shown === 'failed' ? LONG_HINT : null,
    revisionBefore: null,
    revisionAfter: shown === 'passed' ? NEW_REVISION : null,
    durationMs: 30_000,
    // Later rounds end later: the newest result is the one a tile shows.
    endedAt: new Date(Date.now() + round * 1000).toISOString(),
  };
  inject.result(result);
}

const slotsOf = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

/** Each round moves every tile to the next state, so with one slot too each state is seen. */
const shownIn = (slot: number, round: number): Shown => ROUNDS[(slot + round) % ROUNDS.length]!;

describe.each([1, 4, 16, 32, 64, 128])('%i slots', (count) => {
  let station: OwnStation;

  beforeAll(async () => {
    station = await startOwnStation(line, { name: 'words', slots: count, timeoutMs: 150_000 });
  }, 180_000);

  afterAll(async () => {
    if (station) await stopAndRelease(station.app);
  }, 60_000);

  it('shows every tile its state word, and a verdict its words, on every screen', async () => {
    const { stationId } = station;
    const operator = await signInThroughApi(line.serverUrl, { badge: OPERATOR_BADGE, stationId });
    let inject: LineEventInjector | undefined;
    const { page, crashes } = await session.openPage(`${line.dashboardUrl}/?station=${stationId}`, {
      as: operator,
      before: async (p: Page) => {
        inject = await injectLineEvents(p);
      },
    });
    await waitForStationShown(page, line, stationId);
    await mkdir(SHOTS_DIR, { recursive: true });

    const problems: string[] = [];
    for (const [round] of ROUNDS.entries()) {
      for (const slot of slotsOf(count))
        show(inject!, stationId, slot, shownIn(slot, round), round);
      const expected: TileExpectation[] = slotsOf(count).map((slot) => {
        const shown = shownIn(slot, round);
        return {
          slot,
          word: TILE_LOOKS[shown].word,
          verdict: shown === 'failed' || shown === 'passed',
          countdown: shown === 'prompt',
        };
      });
      await page
        .waitForFunction(
          (tiles) =>
            tiles.every(
              ({ slot, state }) =>
                document
                  .querySelector(`[data-testid="slot-tile"][data-slot="${slot}"]`)
                  ?.getAttribute('data-state') === state,
            ),
          slotsOf(count).map((slot) => ({ slot, state: shownIn(slot, round) })),
          { timeout: UI_TIMEOUT_MS },
        )
        .catch((error: unknown) => {
          throw new Error(`round ${round}: the tiles never all showed their state`, {
            cause: error,
          });
        });
      for (const screen of SCREENS) {
        await page.setViewportSize(screen);
        // The grid re-measures on resize: let its observer and React settle.
        for (let frame = 0; frame < 2; frame += 1) {
          await page.evaluate(
            () =>
              new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
          );
        }
        const seen = await unseenWords(page, expected);
        const passed = slotsOf(count).filter((slot) => shownIn(slot, round) === 'passed');
        seen.push(...(await unseenRevisions(page, passed, NEW_REVISION)));
        if (round === 0) {
          // For the README's table of what each size gets.
          const grid = page.locator('[data-testid="slot-grid"]');
          const box = await page.locator('[data-testid="slot-tile"]').first().boundingBox();
          const scrolls = await grid.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
          console.info(
            `tile-size ${count} slots ${screen.name}: ${await grid.getAttribute('data-columns')} columns, ${Math.round(box?.width ?? 0)}×${Math.round(box?.height ?? 0)} px, ${await grid.getAttribute('data-density')}${scrolls ? ', scrolls' : ''}`,
          );
        }
        if (seen.length > 0) {
          await page.screenshot({
            path: join(SHOTS_DIR, `${count}-slots-${screen.name}-round-${round}.png`),
          });
        }
        problems.push(...seen.map((problem) => `${screen.name} round ${round}: ${problem}`));
      }
    }
    // Per screen: how many, and the first few, so a failure says at which sizes at a glance.
    const byScreen = SCREENS.map(({ name }) => {
      const here = problems.filter((problem) => problem.startsWith(`${name} `));
      return here.length === 0
        ? null
        : `${name}: ${here.length}\n  ${here.slice(0, 3).join('\n  ')}`;
    }).filter(Boolean);
    expect(byScreen.join('\n'), `${problems.length} problems`).toBe('');
    expect(crashes).toEqual([]);
  }, 600_000);
});
