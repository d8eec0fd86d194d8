import { StationHeartbeat, stationHeartbeatKey } from '@station/contracts';
import type { Logger } from '@station/logger';
import type { Redis } from 'ioredis';
import type { StationRegistry } from './station-registry.service';

/**
 * Polls the heartbeat key of every known station (see contracts `presence.ts` for why keys and
 * polling) and feeds the verdict to the registry. A SIGKILLed agent's key expires after its TTL,
 * so the station shows as gone within TTL + one poll interval.
 */
export class StationPresenceMonitor {
  private readonly beats = new Map<string, StationHeartbeat>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly registry: StationRegistry,
    private readonly options: { prefix: string; pollMs: number; logger: Logger },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // Skip a tick rather than pile polls up while Redis is slow.
      this.polling ??= this.poll().finally(() => (this.polling = undefined));
    }, this.options.pollMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  /** The station's latest heartbeat; undefined when gone or sent by an agent too old to say. */
  heartbeat(stationId: string): StationHeartbeat | undefined {
    return this.beats.get(stationId);
  }

  /** One pass over all known stations. While Redis is down, states are left as they were. */
  async poll(): Promise<void> {
    const ids = this.registry.stationIds();
    if (ids.length === 0) return;
    const registered = ids.map((id) => this.registry.registrationCount(id));
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.get(stationHeartbeatKey(this.options.prefix, id));
    try {
      const replies = (await pipeline.exec()) ?? [];
      ids.forEach((id, index) => {
        const [error, value] = replies[index] ?? [new Error('no reply'), null];
        if (error) throw error;
        const beat = parseHeartbeat(value);
        if (beat) this.beats.set(id, beat);
        else this.beats.delete(id);
        this.registry.setConnected(id, typeof value === 'string');
        // A slot change re-registers the station after writing its key: a key read before that
        // registration arrived may be older than it and would bring an unplugged slot back
        // online until the next poll. The next poll reads it again.
        const stale = this.registry.registrationCount(id) !== registered[index];
        if (beat && !stale) this.registry.setOfflineSlots(id, beat.offlineSlots);
      });
    } catch (err) {
      this.options.logger.warn({ err }, 'station presence poll failed');
    }
  }
}

function parseHeartbeat(value: unknown): StationHeartbeat | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed = StationHeartbeat.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
