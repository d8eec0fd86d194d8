// Relays station progress to the station's room, keeps each slot's latest progress in Redis (so
// any server can answer the line state), and stores the stage reached when it changes, so an
// attempt cut short by a vanished station is settled at its real stage (design §9).
// Each entry is shown as it is handled; the slots' latest progress is written once per batch of
// entries (flush, one HSET per station), not once per entry: at 128 slots a write per entry kept
// the relay seconds behind the stations (docs/speed-work.md §9).
import {
  StationProgressMessage,
  type FlashProgressEvent,
  type FlashStage,
} from '@station/contracts';
import { attemptRepository, type PrismaClient } from '@station/db';
import type { Logger } from '@station/logger';
import type { Redis } from 'ioredis';
import type { StreamEntry } from './station-streams';

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
      emit: (event: FlashProgressEvent) => void;
    },
  ) {}

  handle(entry: StreamEntry): Promise<void> {
    const parsed = StationProgressMessage.safeParse(entry.message);
    if (!parsed.success || parsed.data.stationId !== entry.stationId) {
      this.options.logger.warn({ stream: entry.stream, id: entry.id }, 'progress message refused');
      return Promise.resolve();
    }
    const { attemptId, stationId, slot, imei, stage, percent, prompt } = parsed.data;
    // The operator's power prompt (manual power) reaches the tile with its countdown.
    this.options.emit({
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
    const key = liveSlotsKey(this.options.prefix, stationId);
    const slots = this.latest.get(key) ?? new Map<string, string>();
    this.latest.set(key, slots.set(String(slot), JSON.stringify(live)));
    if (this.stages.get(attemptId) !== stage) this.storeStage(attemptId, stage);
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
