// Issuing and revoking station credentials (docs/security.md "Stations"), for the admin API and
// the `station-credential` CLI alike. The secret is returned once and never stored or logged;
// each change is audited, and the keyring applies it (Redis ACL user, streams) at once.
import type { StationCredentialResponse, StationCredentialSummary } from '@station/contracts';
import { auditRepository, stationCredentialRepository, type PrismaClient } from '@station/db';
import { deriveStationKeys, newStationSecret, sha256Hex, stationRedisUser } from '@station/trust';

/** Who asked: a signed-in admin, or the server host's own CLI. */
export type CredentialActor = { userId: string } | { system: string };

export class StationCredentialService {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      prefix: string;
      /**
       * Makes the change live now: this instance's keyring, the station's Redis user, and its
       * open connections cut (other instances pick the change up at their next refresh).
       */
      applied: (stationId: string) => Promise<void>;
    },
  ) {}

  /** A new credential for the station, creating it when new; `secret` as given or a new one. */
  async issue(
    input: { stationId: string; name?: string; secret?: string },
    actor: CredentialActor,
  ): Promise<StationCredentialResponse & { created: boolean }> {
    const secret = input.secret ?? newStationSecret();
    const keys = deriveStationKeys(secret);
    const { station, before } = await this.deps.prisma.$transaction(async (tx) => {
      const issued = await stationCredentialRepository.issue(tx, {
        code: input.stationId,
        name: input.name,
        signingKey: keys.signingKey,
        redisPasswordSha256: sha256Hex(keys.redisPassword),
      });
      await auditRepository.record(tx, {
        ...actorOf(actor),
        action: issued.before ? 'station.credential.rotate' : 'station.create',
        entityType: 'station',
        entityId: issued.station.id,
        details: {
          stationId: input.stationId,
          ...(issued.before && {
            before: {
              name: issued.before.name,
              credentialIssuedAt: issued.before.credentialIssuedAt?.toISOString() ?? null,
            },
          }),
          after: {
            name: issued.station.name,
            credentialIssuedAt: issued.station.credentialIssuedAt?.toISOString() ?? null,
          },
        },
      });
      return issued;
    });
    await this.deps.applied(station.code);
    return {
      stationId: station.code,
      name: station.name,
      secret,
      redisUser: stationRedisUser(this.deps.prefix, station.code),
      issuedAt: station.credentialIssuedAt!.toISOString(),
      created: before === null,
    };
  }

  /** Every station the database knows, with when its credential was issued (null: none). */
  async list(): Promise<Omit<StationCredentialSummary, 'connected'>[]> {
    const stations = await stationCredentialRepository.listAll(this.deps.prisma);
    return stations.map((station) => ({
      stationId: station.code,
      name: station.name,
      credentialIssuedAt: station.credentialIssuedAt?.toISOString() ?? null,
      lastSeenAt: station.lastSeenAt?.toISOString() ?? null,
      createdAt: station.createdAt.toISOString(),
    }));
  }

  /** Whether the station holds a credential now. */
  async holdsCredential(stationId: string): Promise<boolean> {
    return (await stationCredentialRepository.find(this.deps.prisma, stationId)) !== null;
  }

  /** Whether `secret` is the station's current credential. */
  async matches(stationId: string, secret: string): Promise<boolean> {
    const current = await stationCredentialRepository.find(this.deps.prisma, stationId);
    return current?.signingKey === deriveStationKeys(secret).signingKey;
  }

  /** Revokes the credential: the station's Redis user goes, its messages are no longer believed. */
  async revoke(stationId: string, actor: CredentialActor): Promise<boolean> {
    const revoked = await this.deps.prisma.$transaction(async (tx) => {
      const before = await stationCredentialRepository.find(tx, stationId);
      if (!before) return false;
      const station = await stationCredentialRepository.revoke(tx, stationId);
      await auditRepository.record(tx, {
        ...actorOf(actor),
        action: 'station.credential.revoke',
        entityType: 'station',
        entityId: station!.id,
        details: {
          stationId,
          before: { credentialIssuedAt: before.issuedAt.toISOString() },
          after: { credentialIssuedAt: null },
        },
      });
      return true;
    });
    if (revoked) await this.deps.applied(stationId);
    return revoked;
  }
}

const actorOf = (actor: CredentialActor) =>
  'userId' in actor
    ? { actorId: actor.userId, actorLabel: `user:${actor.userId}` }
    : { actorId: null, actorLabel: actor.system };
