import type {
  CreateFlashJobResponse,
  FlashOutcome,
  FlashProgressEvent,
  FlashResultEvent,
  FlashStage,
  PowerPrompt,
  RetryPlan,
  SlotLine,
  SlotState,
  SlotStatusEvent,
} from '@station/contracts';

/**
 * One slot tile: the slot's line state as the server reports it (whoever started the flash) with
 * this screen's own scan laid over it. Pure. PASS and FAIL come only from a stored result (the
 * watch reply's `last` or a `flash:result`), never from progress reaching 100 %.
 */

/** The attempt running in the slot, as this screen knows it. */
export interface RunningAttempt {
  attemptId: string;
  imei: string;
  stage: FlashStage;
  /** Progress within `stage`; null until the station reports one. */
  percent: number | null;
  /** When the server opened it; null when learned from a progress event or the POST answer. */
  startedAt: string | null;
  /** The operator must power-cycle the module now (manual power), until `prompt.until`. */
  prompt?: PowerPrompt;
  /** This attempt is the line's retry of a failed one: why, and at which baud. */
  retry?: RetryNote;
}

/** Why the attempt running now is a retry, as the failed attempt's result announced it. */
export interface RetryNote {
  reason: RetryPlan['reason'];
  baud: RetryPlan['baud'];
  /** The error of the attempt it retries. */
  failedErrorName: string | null;
}

/** The slot is out of rotation (suspect, offline or disabled) and takes no scan: why. */
export interface SlotHold {
  state: Exclude<SlotState, 'active'>;
  reason: string | null;
}

/** A result heard live on this screen (not from a line state): what the sound plays for. */
export interface HeardResult {
  attemptId: string;
  outcome: FlashOutcome;
  /** The line retries it: not a verdict yet. */
  retrying: boolean;
}

/**
 * What this screen's operator did at the tile, until the slot moves on. `imei` is what the tile
 * shows as the module: the IMEI the shared label parser read, else the label as scanned; `label`
 * is the label as scanned (sent again for a supervisor's rework).
 */
export type ScanState =
  /** The label could not be read (by the server, or nothing was scanned); nothing started. */
  | { kind: 'invalid'; scanned: string; message: string }
  /** POST /api/flash-jobs is on its way. */
  | { kind: 'submitting'; imei: string; label?: string }
  /** The server refused the job (slot busy, already passed, double scan …); `code` says which. */
  | { kind: 'rejected'; imei: string; message: string; code?: string; label?: string };

export interface FlashTile {
  current: RunningAttempt | null;
  /** The slot's most recent stored result. */
  last: FlashResultEvent | null;
  /** Attempts known to have ended, newest last (bounded): their late events are stale. */
  ended: readonly string[];
  scan: ScanState | null;
  /** Out of rotation per the line state or a decision; null while the slot is active. */
  hold: SlotHold | null;
  /** The newest result heard live, for the sound; null until one is. */
  heard: HeardResult | null;
}

/** What the station's room carries about one slot (`flash:progress`, `flash:result`, `slot:status`). */
export type FlashEvent =
  | { type: 'progress'; event: FlashProgressEvent }
  | { type: 'result'; event: FlashResultEvent }
  /** A supervisor released or disabled the slot, or a result made it suspect. */
  | { type: 'slot-status'; event: SlotStatusEvent };

/** What the operator does at the tile, and the POST's answer. */
export type ScanAction =
  | { type: 'scan-invalid'; scanned: string; message: string }
  | { type: 'submit'; imei: string; label?: string }
  | { type: 'accepted'; response: CreateFlashJobResponse }
  /** `code`: the server's error code, when it answered with one. */
  | { type: 'rejected'; message: string; code?: string };

export type FlashTileAction =
  | ScanAction
  | FlashEvent
  /** The server's state of this slot (the `station:watch` reply): the baseline events build on. */
  | { type: 'line'; line: SlotLine };

/** What the tile shows, in this order: a scan being sent, a flash, the operator's problem, the last result. */
export type TileView =
  | { kind: 'idle' }
  | ScanState
  | { kind: 'running'; attempt: RunningAttempt }
  | { kind: 'held'; hold: SlotHold }
  | { kind: 'finished'; result: FlashResultEvent };

export const idleTile: FlashTile = {
  current: null,
  last: null,
  ended: [],
  scan: null,
  hold: null,
  heard: null,
};

/** Enough to recognise late events of the last few attempts on one slot. */
const ENDED_LIMIT = 16;

export function tileView(tile: FlashTile): TileView {
  if (tile.scan?.kind === 'submitting') return tile.scan;
  if (tile.current) return { kind: 'running', attempt: tile.current };
  if (tile.hold) return { kind: 'held', hold: tile.hold };
  if (tile.scan) return tile.scan;
  if (tile.last) return { kind: 'finished', result: tile.last };
  return { kind: 'idle' };
}

/**
 * Whether the operator may scan into this tile now: not while a flash is starting or running, nor
 * while the slot is out of rotation.
 */
export const acceptsScan = (tile: FlashTile): boolean =>
  tile.current === null && tile.scan?.kind !== 'submitting' && tile.hold === null;

const remember = (ended: readonly string[], attemptId: string): readonly string[] =>
  ended.includes(attemptId) ? ended : [...ended, attemptId].slice(-ENDED_LIMIT);

/** The later of two results by end time; on a tie the incoming one (the server sent it later). */
const newer = (mine: FlashResultEvent | null, incoming: FlashResultEvent): FlashResultEvent =>
  mine && Date.parse(mine.endedAt) > Date.parse(incoming.endedAt) ? mine : incoming;

/**
 * The slot has moved on (a new attempt, or a result): the operator's refused or bad scan is no
 * longer what the tile is about. A POST still on its way stays until it answers.
 */
const supersededScan = (scan: ScanState | null): ScanState | null =>
  scan?.kind === 'submitting' ? scan : null;

function onProgress(tile: FlashTile, event: FlashProgressEvent): FlashTile {
  // Progress that arrives after its attempt's result (the two travel different paths) is stale.
  if (tile.ended.includes(event.attemptId)) return tile;
  const { current } = tile;
  if (current?.attemptId === event.attemptId) {
    const samePrompt =
      current.prompt?.until === event.prompt?.until &&
      current.prompt?.round === event.prompt?.round;
    if (current.stage === event.stage && current.percent === event.percent && samePrompt) {
      return tile;
    }
    return {
      ...tile,
      current: withPrompt({ ...current, stage: event.stage, percent: event.percent }, event.prompt),
    };
  }
  // One attempt per slot at a time: progress of another attempt means a new one runs now.
  const { attemptId, imei, stage, percent } = event;
  const opened = withRetry({ attemptId, imei, stage, percent, startedAt: null }, tile.last);
  return {
    ...tile,
    current: withPrompt(opened, event.prompt),
    scan: supersededScan(tile.scan),
  };
}

/** A progress event either carries the operator's prompt or ends it. */
function withPrompt(attempt: RunningAttempt, prompt: PowerPrompt | undefined): RunningAttempt {
  const { prompt: _old, ...rest } = attempt;
  return prompt ? { ...rest, prompt } : rest;
}

/** Marks `attempt` as the retry `failed` announced, when it is that one. */
function withRetry(attempt: RunningAttempt, failed: FlashResultEvent | null): RunningAttempt {
  const plan = failed?.retry;
  if (!failed || !plan || plan.attemptId !== attempt.attemptId) return attempt;
  const retry = { reason: plan.reason, baud: plan.baud, failedErrorName: failed.errorName };
  return { ...attempt, retry };
}

/** A decision about this very slot takes it out of rotation at once, before any line state says so. */
function holdFrom(result: FlashResultEvent, hold: SlotHold | null): SlotHold | null {
  const subject = `${result.stationId}/${result.slot}`;
  const suspect = result.decisions?.find((d) => d.kind === 'slot.suspect' && d.subject === subject);
  return suspect ? { state: 'suspect', reason: suspect.reason } : hold;
}

/** The retry the line started for `result`, running from now on (its progress may have come first). */
function retryAttempt(
  result: FlashResultEvent,
  plan: RetryPlan,
  current: RunningAttempt | null,
): RunningAttempt {
  const base =
    current?.attemptId === plan.attemptId
      ? current
      : {
          attemptId: plan.attemptId,
          imei: result.imei,
          stage: 'queued' as const,
          percent: null,
          startedAt: null,
        };
  return withRetry(base, result);
}

function onResult(tile: FlashTile, result: FlashResultEvent): FlashTile {
  if (tile.ended.includes(result.attemptId)) return tile; // delivered twice
  const { current } = tile;
  // A result stored late (after a database outage) may belong to an attempt older than the one
  // running now; only a known start time proves that. Otherwise the running attempt is cleared,
  // and if it really still runs, its next progress brings it back within a second.
  const olderThanCurrent =
    current !== null &&
    current.attemptId !== result.attemptId &&
    current.startedAt !== null &&
    Date.parse(result.endedAt) < Date.parse(current.startedAt);
  const ended = remember(tile.ended, result.attemptId);
  // The line retries this failure: the tile follows the retry instead of showing FAIL.
  const plan = olderThanCurrent ? null : (result.retry ?? null);
  const retries = plan !== null && !ended.includes(plan.attemptId);
  const next = olderThanCurrent ? current : retries ? retryAttempt(result, plan, current) : null;
  return {
    current: next,
    last: newer(tile.last, result),
    ended,
    scan: olderThanCurrent ? tile.scan : supersededScan(tile.scan),
    hold: holdFrom(result, tile.hold),
    heard: { attemptId: result.attemptId, outcome: result.outcome, retrying: retries },
  };
}

/** The server's word on the slot; a server older than issue #9 says nothing (active). */
function holdOf(line: Pick<SlotLine, 'status' | 'statusReason'>): SlotHold | null {
  if (line.status === undefined || line.status === 'active') return null;
  return { state: line.status, reason: line.statusReason ?? null };
}

/**
 * The server's line state replaces what this screen believed (it may have missed events while
 * disconnected), except that an attempt already seen ending is never shown running again.
 */
function onLine(tile: FlashTile, line: SlotLine): FlashTile {
  const ended = line.last ? remember(tile.ended, line.last.attemptId) : tile.ended;
  const last = line.last ? newer(tile.last, line.last) : tile.last;
  const opened =
    line.current && !ended.includes(line.current.attemptId) ? { ...line.current } : null;
  const isNewAttempt = opened !== null && opened.attemptId !== tile.current?.attemptId;
  // The line state carries no prompt: one this screen already shows for the same step stays
  // until the next progress event says otherwise.
  const known = !isNewAttempt && tile.current?.stage === opened?.stage ? tile.current : null;
  const current =
    opened === null ? null : withPrompt(withRetry(opened, last), known?.prompt ?? undefined);
  return {
    ...tile,
    current,
    last,
    ended,
    scan: isNewAttempt ? supersededScan(tile.scan) : tile.scan,
    hold: holdOf(line),
  };
}

function onAccepted(tile: FlashTile, response: CreateFlashJobResponse): FlashTile {
  if (tile.scan?.kind !== 'submitting') return tile;
  const { attemptId, imei } = response;
  // Its events may have beaten the POST answer: then the tile already shows them.
  if (tile.ended.includes(attemptId) || tile.current?.attemptId === attemptId) {
    return { ...tile, scan: null };
  }
  return {
    ...tile,
    current: { attemptId, imei, stage: 'queued', percent: null, startedAt: null },
    scan: null,
  };
}

/** The server refused the scan; a label it could not read is a bad label, like a local one. */
function onRejected(
  tile: FlashTile,
  { message, code }: { message: string; code?: string },
): FlashTile {
  if (tile.scan?.kind !== 'submitting') return tile;
  const { imei, label } = tile.scan;
  if (code === 'LABEL_UNREADABLE')
    return { ...tile, scan: { kind: 'invalid', scanned: label ?? imei, message } };
  return { ...tile, scan: { kind: 'rejected', imei, message, code, label } };
}

export function flashTileReducer(tile: FlashTile, action: FlashTileAction): FlashTile {
  switch (action.type) {
    case 'scan-invalid':
      return acceptsScan(tile)
        ? { ...tile, scan: { kind: 'invalid', scanned: action.scanned, message: action.message } }
        : tile;
    case 'submit': {
      const { imei, label } = action;
      return acceptsScan(tile) ? { ...tile, scan: { kind: 'submitting', imei, label } } : tile;
    }
    case 'accepted':
      return onAccepted(tile, action.response);
    case 'rejected':
      return onRejected(tile, action);
    case 'progress':
      return onProgress(tile, action.event);
    case 'result':
      return onResult(tile, action.event);
    case 'line':
      return onLine(tile, action.line);
    case 'slot-status':
      return { ...tile, hold: holdOf(action.event) };
  }
}
