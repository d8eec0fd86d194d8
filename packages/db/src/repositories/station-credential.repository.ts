// Station credentials (docs/security.md "Stations"): an admin issues one per station; the row
// keeps only what the servers need to check the station (its signing key and the SHA-256 of its
// Redis password), never the secret it was derived from.
import type { Station } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

export interface IssueCredentialInput {
  /** The station's id (`stations.code`). */
  code: string;
  /** Display name; a station that exists keeps its name unless one is given. */
  name?: string;
  signingKey: string;
  redisPasswordSha256: string;
}

export interface StationCredential {
  code: string;
  signingKey: string;
  redisPasswordSha256: string;
  issuedAt: Date;
}

const toCredential = (station: Station): StationCredential | null =>
  station.signingKey && station.redisPasswordSha256 && station.credentialIssuedAt
    ? {
        code: station.code,
        signingKey: station.signingKey,
        redisPasswordSha256: station.redisPasswordSha256,
        issuedAt: station.credentialIssuedAt,
      }
    : null;

export const stationCredentialRepository = {
  /**
   * Creates the station if it is new, and gives it this credential (replacing any earlier one:
   * a rotation). Returns the station as it was before, null when it is new, for the audit log.
   */
  async issue(
    db: PrismaClientOrTransaction,
    input: IssueCredentialInput,
    now: Date = new Date(),
  ): Promise<{ station: Station; before: Station | null }> {
    const before = await db.station.findUnique({ where: { code: input.code } });
    const credential = {
      signingKey: input.signingKey,
      redisPasswordSha256: input.redisPasswordSha256,
      credentialIssuedAt: now,
    };
    const station = await db.station.upsert({
      where: { code: input.code },
      create: { code: input.code, name: input.name ?? input.code, ...credential },
      update: { ...(input.name ? { name: input.name } : {}), ...credential },
    });
    return { station, before };
  },

  /** Removes the station's credential; its agent can no longer connect or be believed. */
  async revoke(db: PrismaClientOrTransaction, code: string): Promise<Station | null> {
    const found = await db.station.findUnique({ where: { code } });
    if (!found) return null;
    return db.station.update({
      where: { code },
      data: { signingKey: null, redisPasswordSha256: null, credentialIssuedAt: null },
    });
  },

  async find(db: PrismaClientOrTransaction, code: string): Promise<StationCredential | null> {
    const station = await db.station.findUnique({ where: { code } });
    return station ? toCredential(station) : null;
  },

  /** Every station the database knows, with or without a credential, by code (the admin's list). */
  async listAll(db: PrismaClientOrTransaction): Promise<Station[]> {
    return db.station.findMany({ orderBy: { code: 'asc' } });
  },

  /** Every station that holds a credential: the stations the servers listen to. */
  async listActive(db: PrismaClientOrTransaction): Promise<StationCredential[]> {
    const stations = await db.station.findMany({
      where: { signingKey: { not: null } },
      orderBy: { code: 'asc' },
    });
    return stations.flatMap((station) => toCredential(station) ?? []);
  },
};
