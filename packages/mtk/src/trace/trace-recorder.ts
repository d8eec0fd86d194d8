// A compact record of one flash's exchange with the boot ROM, the DA and the AT firmware (issue #10
// §3). Pure: no I/O, a clock passed in. Consecutive like entries fold into one with `repeat` (WRITE
// packets 1–1500, streamed A0s); the first entries (handshake, chip identity) are always kept and
// the rest is a ring of the latest, so a trace never exceeds its bound however long the flash.
import type { FlashStage } from '../errors/stages';
import {
  TRACE_MAX_ENTRIES,
  type ProtocolTrace,
  type TraceEntry,
  type TraceFields,
} from './trace-entry';

export interface TraceRecorderOptions {
  /** Upper bound on entries (default TRACE_MAX_ENTRIES). */
  maxEntries?: number;
  /** Opening entries never dropped (default a quarter of maxEntries). */
  headEntries?: number;
  /** Clock in ms (default Date.now); tests pass their own. */
  now?: () => number;
}

/** Field values longer than this are cut (the contract's limit). */
const MAX_VALUE_LENGTH = 64;
/** The argument that numbers consecutive packets, folded into a range. */
const SEQUENCE_FIELD = 'packet';

/** Fields as record sites give them: an undefined value is left out. */
export type TraceFieldsInput = Record<string, number | string | undefined>;

interface Pending {
  stage: FlashStage;
  cmd: string;
  args: TraceFieldsInput | undefined;
  t: number;
}

export class TraceRecorder {
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly headMax: number;
  private readonly ringMax: number;
  private readonly head: TraceEntry[] = [];
  /** Circular once full: `ringStart` is its oldest entry. */
  private readonly ring: TraceEntry[] = [];
  private ringStart = 0;
  private dropped = 0;
  private last: TraceEntry | undefined;
  private pending: Pending | undefined;
  /** A failure is recorded and nothing succeeded since: the error it explains needs no entry. */
  private failureRecorded = false;

  constructor(options: TraceRecorderOptions = {}) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    const max = Math.max(2, options.maxEntries ?? TRACE_MAX_ENTRIES);
    this.headMax = Math.min(max - 1, options.headEntries ?? Math.floor(max / 4));
    this.ringMax = max - this.headMax;
  }

  /** A command is under way: `done` closes it, or a failure names it. */
  begin(stage: FlashStage, cmd: string, args?: TraceFieldsInput): void {
    this.pending = { stage, cmd, args, t: this.elapsed() };
    this.failureRecorded = false;
  }

  /** The command begun last answered `reply`; ok=false when that answer is a protocol failure. */
  done(stage: FlashStage, reply?: TraceFieldsInput, ok = true): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.push({ t: pending.t, stage, cmd: pending.cmd, args: pending.args, reply, ok });
  }

  /** A whole step at once. */
  note(
    stage: FlashStage,
    cmd: string,
    args?: TraceFieldsInput,
    reply?: TraceFieldsInput,
    ok = true,
  ): void {
    this.pending = undefined;
    this.push({ t: this.elapsed(), stage, cmd, args, reply, ok });
  }

  /**
   * The flash failed with catalogue error `code`: recorded against the command under way (its
   * answer `timeout` when the module went silent), unless a failure entry already explains it (a
   * site that recorded the NACK itself). `error` is the device's own status, when it sent one.
   */
  fail(
    stage: FlashStage,
    code: string,
    failure: { timedOut?: boolean; error?: number } = {},
  ): void {
    if (this.failureRecorded) return;
    const pending = this.pending;
    this.pending = undefined;
    const answer = failure.timedOut ? 'timeout' : code;
    const reply = pending ? { answer, error: failure.error } : { error: failure.error };
    this.push({
      t: pending?.t ?? this.elapsed(),
      stage,
      cmd: pending?.cmd ?? code,
      args: pending?.args,
      reply,
      ok: false,
    });
  }

  /** The trace so far, in time order; later records do not change it. */
  snapshot(): ProtocolTrace {
    const ring = [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)];
    return {
      v: 1,
      startedAt: new Date(this.startedAt).toISOString(),
      entries: [...this.head, ...ring].map(copyEntry),
      dropped: this.dropped,
      gapAt: this.dropped > 0 ? this.head.length : null,
    };
  }

  private elapsed(): number {
    return Math.max(0, Math.round(this.now() - this.startedAt));
  }

  private push(
    raw: Omit<TraceEntry, 'args' | 'reply'> & { args?: TraceFieldsInput; reply?: TraceFieldsInput },
  ): void {
    const entry: TraceEntry = {
      t: raw.t,
      stage: raw.stage,
      cmd: raw.cmd,
      ...withFields('args', raw.args),
      ...withFields('reply', raw.reply),
      ok: raw.ok,
    };
    this.failureRecorded = !entry.ok;
    if (this.last && folds(this.last, entry)) {
      this.last.repeat = (this.last.repeat ?? 1) + 1;
      return;
    }
    this.last = entry;
    if (this.head.length < this.headMax) this.head.push(entry);
    else if (this.ring.length < this.ringMax) this.ring.push(entry);
    else {
      this.ring[this.ringStart] = entry;
      this.ringStart = (this.ringStart + 1) % this.ringMax;
      this.dropped += 1;
    }
  }
}

/** `{ [key]: fields }` without undefined values and with long strings cut; `{}` when empty. */
function withFields(
  key: 'args' | 'reply',
  fields: TraceFieldsInput | undefined,
): Partial<TraceEntry> {
  const kept = Object.entries(fields ?? {})
    .filter((field): field is [string, number | string] => field[1] !== undefined)
    .map(([name, value]) => [
      name,
      typeof value === 'string' ? value.slice(0, MAX_VALUE_LENGTH) : value,
    ]);
  return kept.length > 0 ? { [key]: Object.fromEntries(kept) as TraceFields } : {};
}

/** `next` repeats `last`: same step and answer, or the next packet of the same run. */
function folds(last: TraceEntry, next: TraceEntry): boolean {
  if (last.stage !== next.stage || last.cmd !== next.cmd || last.ok !== next.ok) return false;
  if (!sameFields(last.reply, next.reply)) return false;
  const first = last.args?.[SEQUENCE_FIELD];
  const following = next.args?.[SEQUENCE_FIELD];
  if (typeof first === 'number' && typeof following === 'number') {
    return (
      following === first + (last.repeat ?? 1) &&
      sameFields({ ...last.args, [SEQUENCE_FIELD]: 0 }, { ...next.args, [SEQUENCE_FIELD]: 0 })
    );
  }
  return sameFields(last.args, next.args);
}

function sameFields(a: TraceFields | undefined, b: TraceFields | undefined): boolean {
  const aKeys = Object.keys(a ?? {});
  if (aKeys.length !== Object.keys(b ?? {}).length) return false;
  return aKeys.every((key) => a![key] === b?.[key]);
}

const copyEntry = (entry: TraceEntry): TraceEntry => ({
  ...entry,
  ...(entry.args ? { args: { ...entry.args } } : {}),
  ...(entry.reply ? { reply: { ...entry.reply } } : {}),
});
