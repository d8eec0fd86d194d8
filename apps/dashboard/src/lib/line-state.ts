import type { StationDetail, StationStatus } from '@station/contracts';
import {
  flashTileReducer,
  idleTile,
  type FlashEvent,
  type FlashTile,
  type FlashTileAction,
  type ScanAction,
} from './flash-tile';
import type { HealthResult } from './health-client';
import { applyStationSnapshot, applyStationUpdate } from './station-list';

/** socket.io link to the server: how fresh the station tiles are. */
export type LiveLink = 'connecting' | 'live' | 'reconnecting';

/** A `station:watch` awaiting its reply, and the flash events of that station heard meanwhile. */
export interface PendingWatch {
  watchId: number;
  events: readonly FlashEvent[];
}

export interface LineState {
  /** Latest health look; null until the first answer (or failure) arrives. */
  health: HealthResult | null;
  /** Wall-clock time of that look, for "checked at". */
  checkedAt: number | null;
  stations: StationStatus[];
  link: LiveLink;
  /** Last live message that failed validation; shown, never thrown. */
  liveError: string | null;
  /** Stations this screen cannot follow (their watch failed), by stationId, until one succeeds. */
  watchErrors: Readonly<Record<string, string>>;
  /** Each slot's tile by slotKey; a slot missing here is idle. */
  tiles: Readonly<Record<string, FlashTile>>;
  /** By stationId. */
  pendingWatches: Readonly<Record<string, PendingWatch>>;
  /** Stations whose line state arrived on the current connection: their tiles are live. */
  following: Readonly<Record<string, true>>;
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
  /** `station:watch` sent: hold that station's flash events until its line state arrives. */
  | { type: 'watch-start'; stationId: string; watchId: number }
  | { type: 'watch-reply'; watchId: number; station: StationDetail }
  | { type: 'watch-failed'; stationId: string; watchId: number; message: string }
  | { type: 'flash'; event: FlashEvent }
  | { type: 'tile'; stationId: string; slot: number; action: ScanAction };

export const initialLineState: LineState = {
  health: null,
  checkedAt: null,
  stations: [],
  link: 'connecting',
  liveError: null,
  watchErrors: {},
  tiles: {},
  pendingWatches: {},
  following: {},
};

/**
 * A few progress events a second per slot for the seconds a reply may take: far below this. Past
 * it the oldest go; the line state and the newest events still give the right picture.
 */
const PENDING_EVENT_LIMIT = 2_000;

function applyToTile(
  state: LineState,
  stationId: string,
  slot: number,
  action: FlashTileAction,
): LineState {
  const key = slotKey(stationId, slot);
  const before = state.tiles[key] ?? idleTile;
  const after = flashTileReducer(before, action);
  return after === before ? state : { ...state, tiles: { ...state.tiles, [key]: after } };
}

const applyEvent = (state: LineState, event: FlashEvent): LineState =>
  applyToTile(state, event.event.stationId, event.event.slot, event);

function withoutPending(state: LineState, stationId: string): LineState {
  const { [stationId]: _done, ...others } = state.pendingWatches;
  return { ...state, pendingWatches: others };
}

/** Applies what was held for a watch, oldest first, and stops holding. */
function releasePending(state: LineState, stationId: string): LineState {
  const held = state.pendingWatches[stationId]?.events ?? [];
  return held.reduce(applyEvent, withoutPending(state, stationId));
}

/**
 * The server joins the room before it reads the line state, so an event held here is either in
 * that state already or newer: the state is the baseline and the held events are replayed on it.
 */
function applyWatchReply(state: LineState, detail: StationDetail): LineState {
  const { line, ...station } = detail;
  const { [station.stationId]: _solved, ...watchErrors } = state.watchErrors;
  let next: LineState = {
    ...state,
    stations: applyStationSnapshot(state.stations, [station]),
    watchErrors,
    following: { ...state.following, [station.stationId]: true },
  };
  for (const slotLine of line) {
    next = applyToTile(next, station.stationId, slotLine.slot, { type: 'line', line: slotLine });
  }
  return releasePending(next, station.stationId);
}

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
    case 'link': {
      // A lost link never answers the watches it carried: show what they held, the next
      // connection watches again.
      if (action.link === 'live') return { ...state, link: action.link };
      const next = { ...state, link: action.link, following: {} };
      return Object.keys(state.pendingWatches).reduce(releasePending, next);
    }
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
    case 'watch-start': {
      // A newer watch of the same station supersedes an older one still waiting.
      const released = releasePending(state, action.stationId);
      const { [action.stationId]: _again, ...following } = released.following;
      return {
        ...released,
        following,
        pendingWatches: {
          ...released.pendingWatches,
          [action.stationId]: { watchId: action.watchId, events: [] },
        },
      };
    }
    case 'watch-reply': {
      const pending = state.pendingWatches[action.station.stationId];
      if (pending?.watchId !== action.watchId) return state; // superseded or from a lost link
      return applyWatchReply(state, action.station);
    }
    case 'watch-failed': {
      const pending = state.pendingWatches[action.stationId];
      if (pending?.watchId !== action.watchId) return state;
      const released = releasePending(state, action.stationId);
      return {
        ...released,
        watchErrors: { ...released.watchErrors, [action.stationId]: action.message },
      };
    }
    case 'flash': {
      const { stationId } = action.event.event;
      const pending = state.pendingWatches[stationId];
      if (!pending) return applyEvent(state, action.event);
      const events = [...pending.events, action.event].slice(-PENDING_EVENT_LIMIT);
      return {
        ...state,
        pendingWatches: { ...state.pendingWatches, [stationId]: { ...pending, events } },
      };
    }
    case 'tile':
      return applyToTile(state, action.stationId, action.slot, action.action);
  }
}
