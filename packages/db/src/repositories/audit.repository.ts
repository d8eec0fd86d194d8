// Append-only audit trail: who did what to which entity, with the state before and after. The
// database refuses to update, delete or truncate these rows (migration audit_append_only), so
// this file only inserts and reads.
import type { AuditEvent, Prisma } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

/**
 * What changed: the entity's relevant fields `before` and `after` the change (absent for a
 * creation's `before` or a removal's `after`), plus any context. Never a password, hash or token.
 */
export interface AuditDetails {
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
  [key: string]: Prisma.InputJsonValue | undefined;
}

export interface AuditEventInput {
  /** Dotted verb, e.g. `user.create`, `module.quarantine`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  /** `user:<id>`, `api-key:<prefix>`, `station:<code>`, `system` or `anonymous`. */
  actorLabel: string;
  /** The acting user's id; null for the system, API keys, stations and anonymous callers. */
  actorId?: string | null;
  details?: AuditDetails;
  // No `at`: the database stamps the time (column default), so no caller can backdate an event.
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  action?: string;
  /** At most this many events (default 100). */
  limit?: number;
  /** Only events older than this one (the previous page's last id). */
  before?: bigint;
}

export const auditRepository = {
  async record(db: PrismaClientOrTransaction, event: AuditEventInput): Promise<AuditEvent> {
    return db.auditEvent.create({ data: event });
  },

  /**
   * Newest first (by time, then id), filtered; null when `before` names no event. Rows are never
   * deleted, so a cursor from an earlier page always exists.
   */
  async list(
    db: PrismaClientOrTransaction,
    filter: AuditFilter = {},
  ): Promise<AuditEvent[] | null> {
    const { limit = 100, before, ...where } = filter;
    let older: Prisma.AuditEventWhereInput = {};
    if (before !== undefined) {
      const cursor = await db.auditEvent.findUnique({
        where: { id: before },
        select: { at: true },
      });
      if (!cursor) return null;
      // (at, id) < (cursor.at, cursor.id): events of the same millisecond are told apart by id.
      older = { OR: [{ at: { lt: cursor.at } }, { at: cursor.at, id: { lt: before } }] };
    }
    return db.auditEvent.findMany({
      where: { ...where, ...older },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  },
};
