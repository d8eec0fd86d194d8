// One line state for every screen (design §9): each slot's open attempt (with the latest
// progress any server relayed) and its last result, read from the record, never from what one
// screen happened to see.
import type { SlotLine, StationDetail } from '@station/contracts';
import { lineRepository, type PrismaClient } from '@station/db';
import type { Logger } from '@station/logger';
import type { Redis } from 'ioredis';
import { liveSlotsKey, type LiveSlot } from '../flash/progress-relay';
import { resultEventOf } from '../flash/result-event';
import { slotPresence } from './slot-presence';
import type { StationRegistry } from './station-registry.service';

export class StationLineService {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      redis: Redis;
      prefix: string;
      registry: StationRegistry;
      logger: Logger;
    },
  ) {}

  /** The station with its slots' line state; undefined for an unknown station. */
  async detail(stationId: string): Promise<StationDetail | undefined> {
    const station = this.deps.registry.get(stationId);
    if (!station) return undefined;
    const [rows, live] = await Promise.all([
      lineRepository.stationLine(this.deps.prisma, stationId),
      this.liveSlots(stationId),
    ]);
    const line: SlotLine[] = station.slots.map(({ slot, online }) => {
      const row = rows?.find((r) => r.index === slot - 1);
      const open = row?.current ?? null;
      const progress = open ? live.get(slot) : undefined;
      const fresh = progress?.attemptId === open?.id ? progress : undefined;
      return {
        slot,
        ...slotPresence(station, online),
        current: open && {
          attemptId: open.id,
          imei: open.imei,
          stage: fresh?.stage ?? open.stageReached,
          percent: fresh?.percent ?? null,
          startedAt: open.startedAt.toISOString(),
        },
        last: row?.last ? resultEventOf(row.last, { stationId, slot, imei: row.last.imei }) : null,
      };
    });
    return { ...station, line };
  }

  /** Latest relayed progress per slot; empty while Redis is away (stages still come from Postgres). */
  private async liveSlots(stationId: string): Promise<Map<number, LiveSlot>> {
    try {
      const hash = await this.deps.redis.hgetall(liveSlotsKey(this.deps.prefix, stationId));
      return new Map(
        Object.entries(hash).flatMap(([slot, json]) => {
          try {
            return [[Number(slot), JSON.parse(json) as LiveSlot]];
          } catch {
            return [];
          }
        }),
      );
    } catch (err) {
      this.deps.logger.debug({ err }, 'live progress not readable');
      return new Map();
    }
  }
}
