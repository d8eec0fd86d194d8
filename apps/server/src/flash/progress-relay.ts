// Relays station progress to the station's room, keeps each slot's latest progress in Redis (so
// any server can answer the line state), and stores the stage reached when it changes, so an
// attempt cut short by a vanished station is settled at its real stage (design §9).
// A stream entry is a station's batch (every slot's progress of its last window) and becomes one
// `flash:progress` event (docs/speed-work.md §23). The slots' latest progress is written once per
// read of entries (flush, one HSET per station), not once per entry: at 128 slots a write per
// entry kept the relay seconds behind the stations (docs/speed-work.md §9).
import {
  StationProgressBatch,
  StationProgressMessage,
  type FlashProgressBatch,
  type FlashProgressEvent,
  type FlashStage,
} from '@station/contracts';
import { attemptRepository, type PrismaClient } from '@station/db';
import type { Logger } from '@station/logger';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { StreamEntry } from './station-streams';

/** A batch, or the single message a station before batches sent (a server upgraded first). */
const ProgressEntry = z.union([StationProgressBatch, StationProgressMessage]);

/** Redis hash of a station's live slots: slot → LiveSlot as JSON. */
export const liveSlotsKey = (prefix: string, stationId: string): string =>
  `${prefix}:line:${stationId}:live`;

export interface LiveSlot {
  attemptId: string;
  stage: FlashStage;
  percent: number;
}

/** Stages remembered per attempt so only a change is written; old entries are dropped first. */
const STAGE_MEMORY = 10_000;

export class ProgressRelay {
  private readonly stages = new Map<string, FlashStage>();
  /** Live-slots key → slot → the slot's latest progress since the last flush. */
  private readonly latest = new Map<string, Map<string, string>>();

  constructor(
    private readonly options: {
      prisma: PrismaClient;
      redis: Redis;
      prefix: string;
      logger: Logger;
      emit: (batch: FlashProgressBatch) => void;
    },
  ) {}

  handle(entry: StreamEntry): Promise<void> {
    const parsed = ProgressEntry.safeParse(entry.message);
    const items = !parsed.success
      ? []
      : 'progress' in parsed.data
        ? parsed.data.progress
        : [parsed.data];
    // Signed with this station's key, yet naming another station: shown nowhere, stored nowhere.
    const foreign =
      parsed.success &&
      (parsed.data.stationId !== entry.stationId ||
        items.some((item) => item.stationId !== entry.stationId));
    if (items.length === 0 || foreign) {
      this.options.logger.warn({ stream: entry.stream, id: entry.id }, 'progress message refused');
      return Promise.resolve();
    }
    const key = liveSlotsKey(this.options.prefix, entry.stationId);
    const slots = this.latest.get(key) ?? new Map<string, string>();
    this.latest.set(key, slots);
    const events: FlashProgressEvent[] = [];
    for (const { attemptId, stationId, slot, imei, stage, percent, prompt } of items) {
      // The operator's power prompt (manual power) reaches the tile with its countdown.
      events.push({
        v: 1,
        attemptId,
        stationId,
        slot,
        imei,
        stage,
        percent,
        ...(prompt ? { prompt } : {}),
      });
      const live: LiveSlot = { attemptId, stage, percent };
      slots.set(String(slot), JSON.stringify(live));
      if (this.stages.get(attemptId) !== stage) this.storeStage(attemptId, stage);
    }
    this.options.emit({ v: 2, stationId: entry.stationId, events });
    return Promise.resolve();
  }

  /** Writes every slot's latest progress handled since the last flush: one HSET per station. */
  async flush(): Promise<void> {
    if (this.latest.size === 0) return;
    const batch = this.options.redis.pipeline();
    for (const [key, slots] of this.latest) batch.hset(key, Object.fromEntries(slots));
    this.latest.clear();
    // Best effort: the line state falls back to the stored stage without it.
    await batch
      .exec()
      .then((replies) => {
        const err = replies?.find(([failed]) => failed)?.[0];
        if (err) this.options.logger.debug({ err }, 'live progress not kept');
      })
      .catch((err: unknown) => this.options.logger.debug({ err }, 'live progress not kept'));
  }

  private storeStage(attemptId: string, stage: FlashStage): void {
    this.stages.delete(attemptId);
    this.stages.set(attemptId, stage);
    if (this.stages.size > STAGE_MEMORY) {
      const oldest = this.stages.keys().next().value;
      if (oldest !== undefined) this.stages.delete(oldest);
    }
    attemptRepository
      .markStage(this.options.prisma, attemptId, stage)
      .catch((err: unknown) =>
        this.options.logger.warn({ err, attemptId, stage }, 'stage not stored'),
      );
  }
}
