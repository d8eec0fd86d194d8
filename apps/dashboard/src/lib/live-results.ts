import type { FlashTile } from './flash-tile';

/**
 * What changes when a result is stored or a slot's status changes (`flash:result`,
 * `slot:status`), and not on progress: the yield page refetches its figures when this changes.
 * Pure.
 */
export function resultSignature(tiles: Readonly<Record<string, FlashTile>>): string {
  return Object.keys(tiles)
    .sort()
    .map((key) => {
      const tile = tiles[key]!;
      return `${key}:${tile.last?.attemptId ?? ''}:${tile.hold?.state ?? ''}`;
    })
    .join('|');
}
