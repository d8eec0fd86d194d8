// API keys for scripts: only the SHA-256 of a key is stored. Creating keys has no UI yet (issue
// #8's later slices); tests and operators' scripts create them here.
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
}

export type ActiveApiKey = ApiKey & { stationCode: string | null };

export const apiKeyRepository = {
  async create(db: PrismaClientOrTransaction, input: CreateApiKeyInput): Promise<ApiKey> {
    return db.apiKey.create({ data: input });
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
      include: { station: { select: { code: true } } },
    });
    if (!row) return null;
    const { station, ...key } = row;
    return { ...key, stationCode: station?.code ?? null };
  },

  async revoke(db: PrismaClientOrTransaction, id: string, now: Date = new Date()): Promise<void> {
    await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  },
};
