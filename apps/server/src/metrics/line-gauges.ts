// The line as it is now, read when Prometheus scrapes (never cached): queue depth per station
// (BullMQ), slots by state (the line state the screens read), and results waiting to be stored
// (the station result streams). Each read has a deadline: a scrape answers with what it could
// read, and `flashstation_metrics_source_up` says which source it could not.
import {
  SERVER_CONSUMER_GROUP,
  SlotState,
  stationResultsStream,
  type StationDetail,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import type { FlashQueues } from '../flash/flash-queues';
import { sharedRead, type ReadOutcome } from './scrape-read';

/** Well inside Prometheus' default 10 s scrape timeout. */
export const SCRAPE_READ_DEADLINE_MS = 2000;

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized'] as const;

export interface LineSources {
  /** The stations the server knows (registry). */
  stationIds: () => string[];
  queues: FlashQueues;
  /** The station's line state (StationLineService.detail). */
  detail: (stationId: string) => Promise<StationDetail | undefined>;
  /** A non-blocking connection. */
  redis: Redis;
  prefix: string;
  logger: Logger;
  deadlineMs?: number;
}

interface StreamCounts {
  station: string;
  waiting: number;
  pending: number;
}

export function registerLineGauges(registry: Registry, sources: LineSources): void {
  const deadline = sources.deadlineMs ?? SCRAPE_READ_DEADLINE_MS;
  const reads = {
    queues: sharedRead(() => readQueues(sources), deadline, failed('queues')),
    slots: sharedRead(() => readSlots(sources), deadline, failed('slots')),
    results: sharedRead(() => readStreams(sources), deadline, failed('results')),
  };
  function failed(source: string) {
    return (err: unknown) => sources.logger.warn({ err, source }, 'metrics source not readable');
  }
  /** A gauge filled from one read at every scrape; left empty when the read failed. */
  const gauge = <T>(
    name: string,
    help: string,
    labelNames: string[],
    read: () => Promise<ReadOutcome<T>>,
    fill: (gauge: Gauge, value: T) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const outcome = await read();
        this.reset();
        if (outcome.ok) fill(this, outcome.value);
      },
    });

  gauge(
    'flashstation_queue_jobs',
    "Jobs in a station's flash queue, by BullMQ state.",
    ['station', 'state'],
    reads.queues,
    (g, stations) => {
      for (const { station, counts } of stations)
        for (const state of QUEUE_STATES) g.set({ station, state }, counts[state] ?? 0);
    },
  );
  gauge(
    'flashstation_slots',
    'Slots per station by state: active, suspect, offline, disabled.',
    ['station', 'state'],
    reads.slots,
    (g, details) => {
      for (const { stationId: station, line } of details)
        for (const state of SlotState.options)
          g.set({ station, state }, line.filter((s) => s.status === state).length);
    },
  );
  gauge(
    'flashstation_slots_flashing',
    'Slots with an attempt open (flashing, or waiting for its result), per station.',
    ['station'],
    reads.slots,
    (g, details) => {
      for (const { stationId: station, line } of details)
        g.set({ station }, line.filter((s) => s.current !== null).length);
    },
  );
  gauge(
    'flashstation_results_waiting',
    "Results on a station's stream not yet stored, read by a server or not.",
    ['station'],
    reads.results,
    (g, counts) => counts.forEach(({ station, waiting }) => g.set({ station }, waiting)),
  );
  gauge(
    'flashstation_results_pending',
    "Results a server has read but not yet stored (XPENDING of the servers' group).",
    ['station'],
    reads.results,
    (g, counts) => counts.forEach(({ station, pending }) => g.set({ station }, pending)),
  );
  new Gauge({
    name: 'flashstation_metrics_source_up',
    help: 'Whether this scrape read a source (queues, slots, results) within its deadline.',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      // Every read joined at once: the outcomes of this scrape's reads, not of new ones.
      const entries = Object.entries(reads);
      const outcomes = await Promise.all(entries.map(([, read]) => read()));
      entries.forEach(([source], i) => this.set({ source }, outcomes[i]!.ok ? 1 : 0));
    },
  });
}

async function readQueues(sources: LineSources) {
  return Promise.all(
    sources.stationIds().map(async (station) => ({
      station,
      counts: await sources.queues.queue(station).getJobCounts(...QUEUE_STATES),
    })),
  );
}

async function readSlots(sources: LineSources): Promise<StationDetail[]> {
  const details = await Promise.all(sources.stationIds().map((id) => sources.detail(id)));
  return details.filter((detail): detail is StationDetail => detail !== undefined);
}

/** XLEN (stored results are deleted, so what is left waits) and XPENDING per results stream. */
async function readStreams(sources: LineSources): Promise<StreamCounts[]> {
  const stations = sources.stationIds();
  const pipeline = sources.redis.pipeline();
  for (const station of stations) {
    const key = stationResultsStream(sources.prefix, station);
    pipeline.xlen(key);
    pipeline.xpending(key, SERVER_CONSUMER_GROUP);
  }
  const replies = (await pipeline.exec()) ?? [];
  return stations.map((station, i) => {
    const [lengthError, length] = replies[2 * i] ?? [];
    const [pendingError, summary] = replies[2 * i + 1] ?? [];
    if (lengthError) throw lengthError;
    // NOGROUP: no server has read this stream yet, so none of it is pending.
    if (pendingError && !pendingError.message.includes('NOGROUP')) throw pendingError;
    return {
      station,
      waiting: Number(length),
      pending: pendingError ? 0 : Number((summary as [number])[0]),
    };
  });
}
