import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  StationHeartbeat,
  StationRegisterJob,
  StationUnregisterJob,
  STATION_CONTROL_QUEUE,
  stationHeartbeatKey,
  type StationRegistration,
} from '@station/contracts';
import type { Logger } from '@station/logger';

export interface StationPresenceOptions {
  prefix: string;
  intervalMs: number;
  ttlMs: number;
  logger: Logger;
  /** What the heartbeat reports besides the boot: attempts held, offline slots. */
  snapshot: () => Omit<StationHeartbeat, 'v' | 'bootId'>;
  /** Called when our key was gone (Redis restarted or lost data): publish what may be lost. */
  onKeyLost?: () => void;
}

/**
 * Makes this agent visible to the server through Redis only (the station holds no database
 * credentials): a registration job on the control queue, then a heartbeat key with a TTL that
 * the server polls (contracts `presence.ts` explains the choice). `stop()` deletes the key and
 * says goodbye, so a clean shutdown shows the station gone at once instead of after the TTL.
 */
export class StationPresence {
  private readonly queue: Queue;
  private readonly key: string;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly registration: StationRegistration,
    private readonly options: StationPresenceOptions,
  ) {
    this.key = stationHeartbeatKey(options.prefix, registration.stationId);
    this.queue = new Queue(STATION_CONTROL_QUEUE, { connection: redis, prefix: options.prefix });
    this.queue.on('error', (err) => options.logger.warn({ err }, 'control queue error'));
  }

  async start(): Promise<void> {
    // Heartbeat first: when the server handles the registration the key must already be there.
    await this.redis.set(this.key, this.heartbeat(), 'PX', this.options.ttlMs);
    await this.register();
    this.timer = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = undefined));
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beating; // a beat in flight would otherwise recreate the key after the delete
    const { stationId, bootId } = this.registration;
    await this.redis.del(this.key);
    const payload = StationUnregisterJob.payload.parse({
      v: 1,
      stationId,
      bootId,
      reason: 'shutdown',
    });
    await this.queue.add(StationUnregisterJob.name, payload, StationUnregisterJob.defaults);
    await this.queue.close();
  }

  /** Refreshes the key now (e.g. a slot went offline) instead of at the next beat. */
  beatNow(): void {
    if (this.timer) this.beating ??= this.beat().finally(() => (this.beating = undefined));
  }

  private heartbeat(): string {
    const beat: StationHeartbeat = {
      v: 1,
      bootId: this.registration.bootId,
      ...this.options.snapshot(),
    };
    return JSON.stringify(beat);
  }

  private isOurs(previous: string | null): boolean {
    if (previous === null) return false;
    try {
      return StationHeartbeat.parse(JSON.parse(previous)).bootId === this.registration.bootId;
    } catch {
      return false;
    }
  }

  private async register(): Promise<void> {
    const payload = StationRegisterJob.payload.parse(this.registration);
    await this.queue.add(StationRegisterJob.name, payload, StationRegisterJob.defaults);
    this.options.logger.info(
      { stationId: payload.stationId, slots: payload.slots.length },
      'station registered',
    );
  }

  private async beat(): Promise<void> {
    try {
      const previous = await this.redis.set(
        this.key,
        this.heartbeat(),
        'PX',
        this.options.ttlMs,
        'GET',
      );
      // Our key was gone: Redis restarted or lost data, or beats stalled past the TTL. Register
      // again so the server has our slots even if it lost its copy too (registration is an upsert).
      if (!this.isOurs(previous)) {
        this.options.logger.warn({ previous }, 'heartbeat key was lost, registering again');
        await this.register();
        this.options.onKeyLost?.();
      }
    } catch (err) {
      // The next beat retries; the server shows the station gone if beats stay missing.
      this.options.logger.warn({ err }, 'heartbeat failed');
    }
  }
}
