// Reads the servers' consumer group on every station's stream of one kind (control, results or
// progress). An entry stays pending until `handle` resolves and it is acknowledged, so a server
// that dies mid-handling leaves it for another server (or itself, restarted) to claim after
// `claimIdleMs`. Only entries the station's key signed reach `handle`; the rest are logged as
// refused and acknowledged, so a forged entry is never stored, shown or read twice.
// Entries are handled one after another, in order, and acknowledged together once the read's
// batch is handled (one XACK, one XDEL): two round trips per read instead of two per entry, which
// is what let 128 slots' progress fall seconds behind (docs/speed-work.md §9). A batch cut short
// (a handler failed, the server stops) acknowledges only what was handled before, and so does a
// handler that takes long (SLOW_HANDLER_MS), so handled entries do not wait on it.
import { SERVER_CONSUMER_GROUP } from '@station/contracts';
import type { Logger } from '@station/logger';
import { signedFromFields, type OpenResult, type SignedMessage } from '@station/trust';
import type { Redis } from 'ioredis';

export interface StreamEntry {
  stationId: string;
  stream: string;
  id: string;
  /** The entry's message, its signature checked, JSON-parsed (its shape is the handler's to check). */
  message: unknown;
  /** Taken over from a server that read it and died: it may have been half handled. */
  claimed: boolean;
}

export interface StationStreamsOptions {
  /** A blocking connection of its own (XREADGROUP BLOCK holds it). */
  redis: Redis;
  /** Stream key of a station. */
  streamOf: (stationId: string) => string;
  /** Checks an entry's signature with the station's key (StationKeyring.open, one kind). */
  open: (stationId: string, signed: Partial<SignedMessage>) => OpenResult;
  /** This server's consumer name, unique per process. */
  consumer: string;
  logger: Logger;
  /**
   * Handles one entry; the entry is acknowledged only when this resolves. `signal` aborts when
   * the server stops: a handler still retrying gives up and the entry stays pending.
   */
  handle: (entry: StreamEntry, signal: AbortSignal) => Promise<void>;
  /**
   * Runs once after the entries of a batch that were handled (before they are acknowledged):
   * a handler that defers a write per entry (progress: each slot's latest) makes it here once.
   */
  flush?: () => Promise<void>;
  /** Entries read per stream per call (default 100). */
  readCount?: number;
  blockMs?: number;
  /** Pending entries idle this long (their server died) are claimed by this one. */
  claimIdleMs?: number;
  /**
   * Where a new group starts reading: `0` (everything the stream holds: results, which must all be
   * stored) or `$` (only what comes next: progress, of no use once old).
   */
  groupStart: '0' | '$';
  /** Delete each entry once handled (results: the servers' group is the stream's only reader). */
  deleteHandled: boolean;
}

type RawEntries = [id: string, fields: string[]][];
type ReadReply = [stream: string, entries: RawEntries][] | null;

export class StationStreams {
  private readonly stations = new Set<string>();
  private readonly groups = new Set<string>();
  private running = false;
  private loop: Promise<void> | undefined;
  private lastClaim = 0;
  private readonly stopping = new AbortController();

  constructor(private readonly options: StationStreamsOptions) {}

  /** Adds a station's stream to the read set (from its registration or the stored list). */
  follow(stationId: string): void {
    this.stations.add(stationId);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops reading; an entry being handled is left pending (unacknowledged) for the next reader. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort(new Error('server stopping'));
    // A read blocked on a Redis outage would wait for Redis: cut the connection after the block.
    const cut = setTimeout(
      () => this.options.redis.disconnect(),
      (this.options.blockMs ?? 2000) + 1000,
    );
    await this.loop;
    clearTimeout(cut);
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    while (this.running) {
      try {
        await this.readOnce();
      } catch (err) {
        if (!this.running) return;
        if (isNoGroup(err)) {
          // Redis restarted empty (or the stream is new): make the groups again and go on.
          this.groups.clear();
          continue;
        }
        logger.warn({ err }, 'station stream read failed; retrying');
        await sleep(1000);
      }
    }
  }

  private async readOnce(): Promise<void> {
    const streams = [...this.stations].map((id) => ({ id, key: this.options.streamOf(id) }));
    if (streams.length === 0) {
      await sleep(this.options.blockMs ?? 2000);
      return;
    }
    for (const { key } of streams) await this.ensureGroup(key);
    if (Date.now() - this.lastClaim > (this.options.claimIdleMs ?? 30_000) / 2) {
      this.lastClaim = Date.now();
      for (const stream of streams) await this.claimAbandoned(stream.id, stream.key);
    }
    const reply = (await this.options.redis.xreadgroup(
      'GROUP',
      SERVER_CONSUMER_GROUP,
      this.options.consumer,
      'COUNT',
      this.options.readCount ?? 100,
      'BLOCK',
      this.options.blockMs ?? 2000,
      'STREAMS',
      ...streams.map((s) => s.key),
      ...streams.map(() => '>'),
    )) as ReadReply;
    for (const [key, entries] of reply ?? []) {
      const stationId = streams.find((s) => s.key === key)?.id;
      if (stationId) await this.handleAll(stationId, key, entries);
    }
  }

  /** Entries another server read and never acknowledged (it died): this one handles them. */
  private async claimAbandoned(stationId: string, key: string): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.options.redis.xautoclaim(
        key,
        SERVER_CONSUMER_GROUP,
        this.options.consumer,
        this.options.claimIdleMs ?? 30_000,
        cursor,
        'COUNT',
        100,
      )) as [string, RawEntries, ...unknown[]];
      await this.handleAll(stationId, key, entries.filter(Boolean), true);
      cursor = next;
    } while (cursor !== '0-0' && this.running);
  }

  private async handleAll(
    stationId: string,
    key: string,
    entries: RawEntries,
    claimed = false,
  ): Promise<void> {
    const handled: string[] = [];
    try {
      for (const [id, fields] of entries) {
        if (!this.running) return;
        const opened = this.options.open(stationId, signedFromFields(fields));
        if (opened.ok) {
          const handling = this.options.handle(
            { stationId, stream: key, id, message: opened.message, claimed },
            this.stopping.signal,
          );
          // A handler still busy after a moment (a result waiting out a Postgres outage): what
          // was handled before it is acknowledged meanwhile, lest another server claim and redo it.
          if (handled.length > 0 && (await outlasts(handling, SLOW_HANDLER_MS)))
            await this.acknowledge(key, handled.splice(0));
          await handling;
        } else {
          this.options.logger.warn(
            { stationId, stream: key, id, reason: opened.reason },
            'refused a stream entry the station did not sign',
          );
        }
        handled.push(id);
      }
    } finally {
      // Also when a handler failed or the server stops: what was handled is done with.
      await this.acknowledge(key, handled);
    }
  }

  /** Flushes the handler's deferred writes, then XACK (and XDEL) of the ids in one round trip. */
  private async acknowledge(key: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.options.flush?.();
    const batch = this.options.redis.pipeline().xack(key, SERVER_CONSUMER_GROUP, ...ids);
    if (this.options.deleteHandled) batch.xdel(key, ...ids);
    for (const [err] of (await batch.exec()) ?? []) if (err) throw err;
  }

  private async ensureGroup(key: string): Promise<void> {
    if (this.groups.has(key)) return;
    try {
      await this.options.redis.xgroup(
        'CREATE',
        key,
        SERVER_CONSUMER_GROUP,
        this.options.groupStart,
        'MKSTREAM',
      );
    } catch (err) {
      if (!(err instanceof Error && err.message.includes('BUSYGROUP'))) throw err;
    }
    this.groups.add(key);
  }
}

/** How long a handler may take before the entries handled ahead of it are acknowledged. */
const SLOW_HANDLER_MS = 1000;

/** True when `work` has not settled within `ms` (its failure is left to whoever awaits it). */
async function outlasts(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  const settled = work.then(
    () => false,
    () => false,
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

const isNoGroup = (err: unknown): boolean =>
  err instanceof Error && err.message.includes('NOGROUP');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
