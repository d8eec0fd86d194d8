// The servers' view of station credentials (docs/security.md "Stations"): which stations may
// talk to the line, the key each one's messages must be signed with, and their Redis ACL users.
// The credential table in Postgres is the truth; every refresh makes this cache and Redis agree
// with it, so a station created on another server instance, a revoked one, and a Redis that
// restarted empty (ACL users gone) all settle within one refresh.
import { EventEmitter } from 'node:events';
import {
  stationCredentialRepository,
  type PrismaClient,
  type StationCredential,
} from '@station/db';
import type { Logger } from '@station/logger';
import {
  applyStationAcl,
  openMessage,
  removeStationAcl,
  signMessage,
  stationRedisUser,
  type MessageKind,
  type OpenResult,
  type SignedMessage,
} from '@station/trust';
import type { Redis } from 'ioredis';

export interface StationKeyringEvents {
  /** A station with a credential this server had not seen yet: follow its streams. */
  added: [stationId: string];
}

export class StationKeyring extends EventEmitter<StationKeyringEvents> {
  private credentials = new Map<string, StationCredential>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly options: {
      prisma: PrismaClient;
      /** A connection with Redis admin rights (ACL SETUSER). */
      redis: Redis;
      prefix: string;
      logger: Logger;
      refreshMs: number;
    },
  ) {
    super();
  }

  /** Stations that hold a credential. */
  stationIds(): string[] {
    return [...this.credentials.keys()];
  }

  has(stationId: string): boolean {
    return this.credentials.has(stationId);
  }

  /** Signs a message for the station; throws when it has no credential. */
  sign(stationId: string, kind: MessageKind, message: unknown): SignedMessage {
    const credential = this.credentials.get(stationId);
    if (!credential) throw new Error(`station ${stationId} has no credential`);
    return signMessage(credential.signingKey, kind, message);
  }

  /** A station's signing key, for checking its signed HTTP requests; undefined without one. */
  signingKeyOf(stationId: string): string | undefined {
    return this.credentials.get(stationId)?.signingKey;
  }

  /** The message when the station's key signed it; a station without a credential is refused. */
  open(stationId: string, kind: MessageKind, signed: unknown): OpenResult {
    const credential = this.credentials.get(stationId);
    if (!credential) return { ok: false, reason: 'the station has no credential' };
    return openMessage(credential.signingKey, kind, signed);
  }

  /** First load: fails when Postgres does (the server cannot start without it anyway). */
  async load(): Promise<void> {
    await this.refresh();
  }

  start(): void {
    this.timer ??= setInterval(() => void this.refreshSafely(), this.options.refreshMs);
    // Redis restarted (maybe empty): its ACL users must be back before stations reconnect.
    this.options.redis.on('ready', this.onRedisReady);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.options.redis.off('ready', this.onRedisReady);
    await this.refreshing;
  }

  /**
   * After an admin changed a station's credential: applies it now, and cuts the connections of
   * the station's Redis user, so an agent still holding the old secret is out at once (Redis
   * keeps a connection open through a password change).
   */
  async credentialChanged(stationId: string): Promise<void> {
    // A refresh already running may have read the table before the change: wait it out, then
    // read again, so the ACL applied below is the new credential's.
    await this.refreshing?.catch(() => {});
    await this.refresh();
    const user = stationRedisUser(this.options.prefix, stationId);
    try {
      await this.options.redis.call('CLIENT', 'KILL', 'USER', user);
    } catch (err) {
      // A revoked station's user is gone already (ACL DELUSER cut its connections itself).
      if (!(err instanceof Error && /no such user/i.test(err.message))) throw err;
    }
  }

  /** Reloads credentials and applies every station's ACL user; one at a time. */
  refresh(): Promise<void> {
    this.refreshing ??= this.reload().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private readonly onRedisReady = () => void this.refreshSafely();

  private async refreshSafely(): Promise<void> {
    try {
      await this.refresh();
    } catch (err) {
      // Postgres or Redis away: keep the credentials we have and try again at the next tick.
      this.options.logger.warn({ err }, 'station credentials refresh failed; retrying');
    }
  }

  private async reload(): Promise<void> {
    const { prisma, redis, prefix } = this.options;
    const current = await stationCredentialRepository.listActive(prisma);
    const next = new Map(current.map((c) => [c.code, c]));
    for (const credential of current)
      await applyStationAcl(redis, prefix, credential.code, credential.redisPasswordSha256);
    for (const stationId of this.credentials.keys()) {
      if (next.has(stationId)) continue;
      await removeStationAcl(redis, prefix, stationId);
      this.options.logger.warn({ stationId }, 'station credential revoked: its Redis user removed');
    }
    const before = this.credentials;
    this.credentials = next;
    for (const stationId of next.keys()) if (!before.has(stationId)) this.emit('added', stationId);
  }
}
