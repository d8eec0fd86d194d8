// Append-only audit trail: who did what to which entity.
import type { AuditEvent, Prisma } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

export interface AuditEventInput {
  /** Dotted verb, e.g. `module.quarantine`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  /** `user:<id>`, `api-key:<prefix>`, `station:<code>` or `system`. */
  actorLabel: string;
  actorId?: string | null;
  details?: Prisma.InputJsonValue;
  at?: Date;
}

export const auditRepository = {
  async record(db: PrismaClientOrTransaction, event: AuditEventInput): Promise<AuditEvent> {
    return db.auditEvent.create({ data: event });
  },

  /** Newest first, optionally for one entity. */
  async list(
    db: PrismaClientOrTransaction,
    filter: { entityType?: string; entityId?: string; action?: string; limit?: number } = {},
  ): Promise<AuditEvent[]> {
    const { limit = 100, ...where } = filter;
    return db.auditEvent.findMany({
      where,
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  },
};
