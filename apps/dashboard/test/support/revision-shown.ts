import type { Page } from 'playwright-core';

/**
 * PASS tiles whose panel does not show `revision` whole on some line: the revision is what a PASS
 * tile must say (a line clamped at a word once showed only "Now…"). A line counts when it is
 * displayed and every character of the revision lies inside its box and the tile's, so text cut
 * by an ellipsis or pushed to a clamped line does not.
 */
export function unseenRevisions(page: Page, slots: number[], revision: string): Promise<string[]> {
  return page.evaluate(
    ({ slots, revision }) => {
      const slack = 1; // sub-pixel rounding
      const inside = (inner: DOMRect, outer: DOMRect) =>
        inner.left >= outer.left - slack &&
        inner.top >= outer.top - slack &&
        inner.right <= outer.right + slack &&
        inner.bottom <= outer.bottom + slack;
      const problems: string[] = [];
      for (const slot of slots) {
        const tile = document.querySelector<HTMLElement>(
          `[data-testid="slot-tile"][data-slot="${slot}"]`,
        );
        const panel = tile?.querySelector<HTMLElement>('[data-testid="flash-verdict"]');
        if (!tile || !panel) {
          problems.push(`tile ${slot}: no PASS panel`);
          continue;
        }
        tile.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        const shown = [...panel.children].some((line) => {
          if (!(line instanceof HTMLElement)) return false;
          if (getComputedStyle(line).display === 'none') return false;
          const text = [...line.childNodes].find(
            (node): node is Text => node instanceof Text && node.data.includes(revision),
          );
          if (!text) return false;
          const at = text.data.indexOf(revision);
          const range = document.createRange();
          range.setStart(text, at);
          range.setEnd(text, at + revision.length);
          const rects = [...range.getClientRects()];
          const box = line.getBoundingClientRect();
          const tileBox = tile.getBoundingClientRect();
          return (
            rects.length > 0 && rects.every((rect) => inside(rect, box) && inside(rect, tileBox))
          );
        });
        if (!shown) {
          const size = `${Math.round(tile.clientWidth)}×${Math.round(tile.clientHeight)} ${tile.dataset.density}`;
          problems.push(`tile ${slot} (${size}): its PASS panel does not show ${revision} whole`);
        }
      }
      return problems;
    },
    { slots, revision },
  );
}
