import type {
  CreateFlashJobResponse,
  FlashProgressEvent,
  FlashResultEvent,
} from '@station/contracts';

/**
 * One slot tile's flash, as the operator sees it. Pure: the tile dispatches its own scan and the
 * POST's answer; the line view routes `flash:progress` / `flash:result` to the tile of that slot.
 * PASS and FAIL come only from a result event (sent after the attempt is stored), never from
 * progress reaching 100 %.
 */
export type FlashTile =
  | { kind: 'idle' }
  /** The scanned text is not an IMEI; nothing was sent. */
  | { kind: 'invalid'; scanned: string; message: string }
  /** POST /api/flash-jobs is on its way; events for this slot wait in `early` until it answers. */
  | { kind: 'submitting'; imei: string; early: FlashEvent[] }
  /** The server refused the job (slot busy, station offline, bad request …). */
  | { kind: 'rejected'; imei: string; message: string }
  /** Accepted; `stage` is null until the station reports its first progress. */
  | { kind: 'running'; attemptId: string; imei: string; stage: string | null; percent: number }
  | { kind: 'finished'; result: FlashResultEvent };

export type FlashEvent =
  { type: 'progress'; event: FlashProgressEvent } | { type: 'result'; event: FlashResultEvent };

export type FlashTileAction =
  | { type: 'scan-invalid'; scanned: string; message: string }
  | { type: 'submit'; imei: string }
  | { type: 'accepted'; response: CreateFlashJobResponse }
  | { type: 'rejected'; message: string }
  | FlashEvent;

export const idleTile: FlashTile = { kind: 'idle' };

/** Events that can reach a tile before the POST answers: a fast failure must not be lost. */
const EARLY_EVENT_LIMIT = 50;

/** Whether the operator may scan into this tile now (not while a flash is starting or running). */
export const acceptsScan = (tile: FlashTile): boolean =>
  tile.kind !== 'submitting' && tile.kind !== 'running';

function applyEvent(tile: FlashTile, action: FlashEvent): FlashTile {
  if (tile.kind === 'submitting') {
    // The attempt id is not known yet; keep the event and replay it once the POST answers.
    return { ...tile, early: [...tile.early, action].slice(-EARLY_EVENT_LIMIT) };
  }
  // Only the running attempt moves the tile; a finished tile stays until the next scan.
  if (tile.kind !== 'running' || action.event.attemptId !== tile.attemptId) return tile;
  if (action.type === 'progress') {
    return { ...tile, stage: action.event.stage, percent: action.event.percent };
  }
  return { kind: 'finished', result: action.event };
}

export function flashTileReducer(tile: FlashTile, action: FlashTileAction): FlashTile {
  switch (action.type) {
    case 'scan-invalid':
      return acceptsScan(tile)
        ? { kind: 'invalid', scanned: action.scanned, message: action.message }
        : tile;
    case 'submit':
      return acceptsScan(tile) ? { kind: 'submitting', imei: action.imei, early: [] } : tile;
    case 'accepted': {
      if (tile.kind !== 'submitting') return tile;
      const running: FlashTile = {
        kind: 'running',
        attemptId: action.response.attemptId,
        imei: action.response.imei,
        stage: null,
        percent: 0,
      };
      return tile.early.reduce(applyEvent, running);
    }
    case 'rejected':
      return tile.kind === 'submitting'
        ? { kind: 'rejected', imei: tile.imei, message: action.message }
        : tile;
    case 'progress':
    case 'result':
      return applyEvent(tile, action);
  }
}
