import type { StationStatus } from '@station/contracts';
import { flashTileReducer, idleTile, type FlashTile, type FlashTileAction } from './flash-tile';
import type { HealthResult } from './health-client';
import { applyStationSnapshot, applyStationUpdate } from './station-list';

/** socket.io link to the server: how fresh the station tiles are. */
export type LiveLink = 'connecting' | 'live' | 'reconnecting';

export interface LineState {
  /** Latest health look; null until the first answer (or failure) arrives. */
  health: HealthResult | null;
  /** Wall-clock time of that look, for "checked at". */
  checkedAt: number | null;
  stations: StationStatus[];
  link: LiveLink;
  /** Last live message that failed validation; shown, never thrown. */
  liveError: string | null;
  /** Each slot's flash by slotKey; a slot missing here is idle. */
  tiles: Readonly<Record<string, FlashTile>>;
}

/** Key of a slot's tile: slots are numbered per station. */
export const slotKey = (stationId: string, slot: number) => `${stationId}/${slot}`;

export const tileOf = (
  state: Pick<LineState, 'tiles'>,
  stationId: string,
  slot: number,
): FlashTile => state.tiles[slotKey(stationId, slot)] ?? idleTile;

export type LineAction =
  | { type: 'health'; result: HealthResult; at: number }
  | { type: 'link'; link: LiveLink }
  | { type: 'station-update'; station: StationStatus }
  | { type: 'station-snapshot'; stations: StationStatus[] }
  | { type: 'live-error'; message: string }
  | { type: 'tile'; stationId: string; slot: number; action: FlashTileAction };

export const initialLineState: LineState = {
  health: null,
  checkedAt: null,
  stations: [],
  link: 'connecting',
  liveError: null,
  tiles: {},
};

export function lineReducer(state: LineState, action: LineAction): LineState {
  switch (action.type) {
    case 'health':
      return {
        ...state,
        health: action.result,
        checkedAt: action.at,
        // An unreachable server leaves the last known stations on screen, marked stale.
        stations:
          action.result.kind === 'ok'
            ? applyStationSnapshot(state.stations, action.result.health.stations)
            : state.stations,
      };
    case 'link':
      return { ...state, link: action.link };
    case 'station-update':
      return {
        ...state,
        stations: applyStationUpdate(state.stations, action.station),
        liveError: null,
      };
    case 'station-snapshot':
      return { ...state, stations: applyStationSnapshot(state.stations, action.stations) };
    case 'live-error':
      return { ...state, liveError: action.message };
    case 'tile': {
      const key = slotKey(action.stationId, action.slot);
      const before = state.tiles[key] ?? idleTile;
      const after = flashTileReducer(before, action.action);
      return after === before ? state : { ...state, tiles: { ...state.tiles, [key]: after } };
    }
  }
}
