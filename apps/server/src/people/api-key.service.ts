// Admins create and revoke API keys for scripts (docs/security.md "Managing people, keys and
// stations"). The key is returned once; only its SHA-256 and its first characters are kept, and
// the audit event names the prefix, never the key.
import type { ApiKeySummary, CreateApiKeyRequest, CreatedApiKeyResponse } from '@station/contracts';
import {
  apiKeyRepository,
  auditRepository,
  stationRepository,
  type ListedApiKey,
  type PrismaClient,
} from '@station/db';
import type { Principal } from '../auth/access';
import { auditActor } from '../auth/audit-actor';
import { apiKeyPrefix, newApiKey, sha256Hex } from '../auth/secrets';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';

export interface ApiKeyDeps {
  prisma: PrismaClient;
  /** Disconnects the key's open sockets, on every server instance. */
  keyRevoked: (apiKeyId: string) => void;
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

const apiKeySummary = (key: ListedApiKey): ApiKeySummary => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  role: key.role,
  stationId: key.stationCode,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: iso(key.lastUsedAt),
  expiresAt: iso(key.expiresAt),
  revokedAt: iso(key.revokedAt),
});

export class ApiKeyService {
  constructor(private readonly deps: ApiKeyDeps) {}

  async list(): Promise<ApiKeySummary[]> {
    return (await apiKeyRepository.list(this.deps.prisma)).map(apiKeySummary);
  }

  async create(input: CreateApiKeyRequest, actor: Principal): Promise<CreatedApiKeyResponse> {
    const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
    if (expiresAt && expiresAt.getTime() <= Date.now())
      throw new BadRequestError('EXPIRY_PASSED', `expiresAt ${input.expiresAt} has passed`);
    const key = newApiKey();
    const created = await this.deps.prisma.$transaction(async (tx) => {
      const station =
        input.stationId === undefined
          ? null
          : await stationRepository.findByCode(tx, input.stationId);
      if (input.stationId !== undefined && !station)
        throw new NotFoundError(`Station ${input.stationId} is not known`);
      const row = await apiKeyRepository.create(tx, {
        name: input.name,
        prefix: apiKeyPrefix(key),
        keyHash: sha256Hex(key),
        role: input.role,
        stationId: station?.id ?? null,
        expiresAt,
        createdById: actor.via === 'session' ? actor.user.id : null,
      });
      await auditRepository.record(tx, {
        ...auditActor(actor),
        action: 'api_key.create',
        entityType: 'api_key',
        entityId: row.id,
        details: {
          after: {
            name: row.name,
            prefix: row.prefix,
            role: row.role,
            stationId: row.stationCode,
            expiresAt: iso(row.expiresAt),
          },
        },
      });
      return row;
    });
    return { apiKey: apiKeySummary(created), key };
  }

  /** Revokes the key at once: its requests are refused and its sockets disconnected. */
  async revoke(id: string, actor: Principal): Promise<void> {
    await this.deps.prisma.$transaction(async (tx) => {
      const revoked = await apiKeyRepository.revoke(tx, id);
      if (!revoked) {
        const found = await apiKeyRepository.findById(tx, id);
        if (!found) throw new NotFoundError(`No API key has the id ${id}`);
        throw new ConflictError(
          'API_KEY_REVOKED',
          `The key ${found.prefix}… was revoked already, at ${iso(found.revokedAt)}`,
        );
      }
      await auditRepository.record(tx, {
        ...auditActor(actor),
        action: 'api_key.revoke',
        entityType: 'api_key',
        entityId: id,
        details: {
          name: revoked.name,
          prefix: revoked.prefix,
          before: { revokedAt: null },
          after: { revokedAt: iso(revoked.revokedAt) },
        },
      });
    });
    this.deps.keyRevoked(id);
  }
}
