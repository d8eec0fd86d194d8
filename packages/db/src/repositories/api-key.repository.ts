// API keys for scripts: only the SHA-256 of a key is stored. Admins create and revoke them through
// the server (apps/server/src/people/api-key.service.ts); tests create them here too.
import type { ApiKey, UserRole } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

export interface CreateApiKeyInput {
  name: string;
  /** The key's first characters, to tell keys apart in lists. */
  prefix: string;
  /** SHA-256 of the key, lower-case hex. */
  keyHash: string;
  role: UserRole;
  /** Station row id the key is bound to (an operator key acts for that station only). */
  stationId?: string | null;
  expiresAt?: Date | null;
  /** The admin who created it. */
  createdById?: string | null;
}

/** A key with its station's code (the StationId) rather than the row id. */
export type ListedApiKey = ApiKey & { stationCode: string | null };
export type ActiveApiKey = ListedApiKey;

const withStationCode = ({
  station,
  ...key
}: ApiKey & { station: { code: string } | null }): ListedApiKey => ({
  ...key,
  stationCode: station?.code ?? null,
});
const stationCode = { station: { select: { code: true } } } as const;

/** `lastUsedAt` is written at most this often per key, so a busy script costs no write per call. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export const apiKeyRepository = {
  async create(db: PrismaClientOrTransaction, input: CreateApiKeyInput): Promise<ListedApiKey> {
    return withStationCode(await db.apiKey.create({ data: input, include: stationCode }));
  },

  /** Every key, revoked and expired ones too, newest first. */
  async list(db: PrismaClientOrTransaction): Promise<ListedApiKey[]> {
    const rows = await db.apiKey.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: stationCode,
    });
    return rows.map(withStationCode);
  },

  async findById(db: PrismaClientOrTransaction, id: string): Promise<ListedApiKey | null> {
    const row = await db.apiKey.findUnique({ where: { id }, include: stationCode });
    return row && withStationCode(row);
  },

  /** Notes a use of the key, unless one was noted less than LAST_USED_RESOLUTION_MS ago. */
  async touch(db: PrismaClientOrTransaction, id: string, now: Date = new Date()): Promise<void> {
    const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    await db.apiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] },
      data: { lastUsedAt: now },
    });
  },

  /** The key with this hash when it is neither revoked nor expired; null otherwise. */
  async findActiveByHash(
    db: PrismaClientOrTransaction,
    keyHash: string,
    now: Date = new Date(),
  ): Promise<ActiveApiKey | null> {
    const row = await db.apiKey.findFirst({
      where: {
        keyHash,
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      },
      include: stationCode,
    });
    return row && withStationCode(row);
  },

  /** Revokes the key; the key as revoked, or null when it was unknown or revoked already. */
  async revoke(
    db: PrismaClientOrTransaction,
    id: string,
    now: Date = new Date(),
  ): Promise<ListedApiKey | null> {
    const { count } = await db.apiKey.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: now },
    });
    return count === 0 ? null : apiKeyRepository.findById(db, id);
  },
};
