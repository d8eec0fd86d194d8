import type { Redis } from 'ioredis';
import {
  CONTROL_STREAM_MAXLEN,
  STREAM_MESSAGE_FIELD,
  STREAM_SIGNATURE_FIELD,
  StationControlMessage,
  StationHeartbeat,
  stationControlStream,
  stationHeartbeatKey,
  type StationRegistration,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import { signMessage } from '@station/trust';

export interface StationPresenceOptions {
  prefix: string;
  /** The station's HMAC key: the server believes only a registration signed with it. */
  signingKey: string;
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
 * credentials): a signed registration on its own control stream, then a heartbeat key with a TTL
 * that the server polls (contracts `presence.ts` explains the choice). `stop()` deletes the key and
 * says goodbye, so a clean shutdown shows the station gone at once instead of after the TTL.
 */
export class StationPresence {
  private readonly key: string;
  private readonly controlStream: string;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;

  private registration: StationRegistration;
  /** Re-registrations (slot changes) in flight, one after the other. */
  private updating: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    registration: StationRegistration,
    private readonly options: StationPresenceOptions,
  ) {
    this.registration = registration;
    this.key = stationHeartbeatKey(options.prefix, registration.stationId);
    this.controlStream = stationControlStream(options.prefix, registration.stationId);
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
    await this.updating;
    const { stationId, bootId } = this.registration;
    await this.redis.del(this.key);
    await this.say({
      type: 'unregister',
      unregistration: { v: 1, stationId, bootId, reason: 'shutdown' },
    });
  }

  /**
   * A slot's adapter was unplugged, re-plugged or swapped: the server hears the slots as they are
   * now through a new registration (an upsert: it records the adapter bindings) and a heartbeat.
   */
  updateSlots(slots: StationRegistration['slots']): void {
    this.registration = { ...this.registration, slots };
    if (!this.timer) return; // not started yet (start registers these) or stopped
    // The key first, then the registration: the server takes offline slots from both, and a key
    // still holding the slots from before (a beat already in flight took its snapshot then)
    // would undo the registration at the server's next poll.
    this.updating = this.updating
      .then(() => this.beating)
      .then(() => this.beat())
      .then(() => this.register())
      .catch((err: unknown) =>
        this.options.logger.warn({ err }, 'slot change not reported: the next change retries'),
      );
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

  /** One signed entry on the control stream (capped: only the latest few matter). */
  private async say(message: StationControlMessage): Promise<void> {
    const { m, s } = signMessage(
      this.options.signingKey,
      'control',
      StationControlMessage.parse(message),
    );
    await this.redis.xadd(
      this.controlStream,
      'MAXLEN',
      '~',
      CONTROL_STREAM_MAXLEN,
      '*',
      STREAM_MESSAGE_FIELD,
      m,
      STREAM_SIGNATURE_FIELD,
      s,
    );
  }

  private async register(): Promise<void> {
    await this.say({ type: 'register', registration: this.registration });
    this.options.logger.info(
      { stationId: this.registration.stationId, slots: this.registration.slots.length },
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
