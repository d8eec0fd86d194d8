import type { Page } from 'playwright-core';

/** What a tile is expected to say: its state word, and for a verdict that its panel shows words. */
export interface TileExpectation {
  slot: number;
  word: string;
  /** PASS or FAIL: the verdict panel must show at least one whole line of its words. */
  verdict: boolean;
  /**
   * Waiting for a power cycle: the seconds left, over the scan field, must be seen whole (the
   * operator's deadline) on every tile at least COUNTDOWN_MIN_TILE_PX high. Below that (the
   * smallest tiles, 52–53 px) POWER-CYCLE NOW takes three rows with the number and pushes the scan
   * field, countdown and all, out of the tile.
   */
  countdown?: boolean;
}

/**
 * Every way the tiles fail an operator looking at them, as sentences: a state word that is empty,
 * cut with an ellipsis, outside its tile, clipped by an ancestor's overflow or covered; a verdict
 * panel that shows no whole line. Each tile is scrolled into view first: whether the grid fits the
 * screen is screen-fit's question, this one is whether the tile itself shows its words.
 */
export const COUNTDOWN_MIN_TILE_PX = 56;

export function unseenWords(page: Page, expected: TileExpectation[]): Promise<string[]> {
  return page.evaluate(
    ({ tiles, countdownMinPx }) => {
      const slack = 1; // sub-pixel rounding
      const problems: string[] = [];
      const inside = (inner: DOMRect, outer: DOMRect) =>
        inner.left >= outer.left - slack &&
        inner.top >= outer.top - slack &&
        inner.right <= outer.right + slack &&
        inner.bottom <= outer.bottom + slack;
      /** Why `element` cannot be seen whole inside `tile`, or null when it can. */
      const hidden = (element: HTMLElement, tile: HTMLElement): string | null => {
        const rect = element.getBoundingClientRect();
        if (element.innerText.trim() === '') return 'has no rendered text';
        if (rect.width < 1 || rect.height < 1) return 'has no size';
        if (!inside(rect, tile.getBoundingClientRect())) return 'is outside its tile';
        for (
          let up = element.parentElement;
          up && up !== tile.parentElement;
          up = up.parentElement
        ) {
          if (getComputedStyle(up).overflow === 'visible') continue;
          if (!inside(rect, up.getBoundingClientRect())) return 'is clipped by an overflow';
        }
        const hit = document.elementFromPoint(
          rect.left + rect.width / 2,
          rect.top + rect.height / 2,
        );
        if (!hit || !(element === hit || element.contains(hit))) return 'is covered';
        return null;
      };
      for (const { slot, word, verdict, countdown } of tiles) {
        const tile = document.querySelector<HTMLElement>(
          `[data-testid="slot-tile"][data-slot="${slot}"]`,
        );
        if (!tile) {
          problems.push(`tile ${slot} is missing`);
          continue;
        }
        tile.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        const size = `${Math.round(tile.clientWidth)}×${Math.round(tile.clientHeight)} ${tile.dataset.density}`;
        const chip = tile.querySelector<HTMLElement>('[data-testid="tile-state"] > span');
        const why = chip ? hidden(chip, tile) : 'is missing';
        if (why) problems.push(`tile ${slot} (${size}): its word ${word} ${why}`);
        else if (chip!.innerText.trim() !== word) {
          problems.push(`tile ${slot} (${size}): says "${chip!.innerText}", not ${word}`);
        } else if (chip!.scrollWidth > chip!.clientWidth + slack) {
          problems.push(`tile ${slot} (${size}): its word ${word} is cut`);
        }
        if (countdown && tile.clientHeight >= countdownMinPx) {
          const seconds = tile.querySelector<HTMLElement>('[data-testid="flash-countdown"]');
          const unseen = seconds ? hidden(seconds, tile) : 'is missing';
          if (unseen) problems.push(`tile ${slot} (${size}): its countdown ${unseen}`);
        }
        if (!verdict) continue;
        const panel = tile.querySelector<HTMLElement>('[data-testid="flash-verdict"]');
        if (!panel) {
          problems.push(`tile ${slot} (${size}): no verdict panel`);
          continue;
        }
        const lines = [...panel.children].filter((line): line is HTMLElement => {
          return line instanceof HTMLElement && hidden(line, tile) === null;
        });
        if (lines.length === 0) {
          const innerText = panel.innerText.trim();
          problems.push(
            `tile ${slot} (${size}): its ${word} panel shows no whole line (innerText "${innerText.slice(0, 40)}", ${Math.round(panel.clientHeight)} px high)`,
          );
        }
      }
      return problems;
    },
    { tiles: expected, countdownMinPx: COUNTDOWN_MIN_TILE_PX },
  );
}
