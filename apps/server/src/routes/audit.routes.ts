import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AuditEventsQuery,
  AuditEventsResponse,
  ErrorResponse,
  type AuditEvent,
} from '@station/contracts';
import { auditRepository, type AuditEvent as AuditRow, type PrismaClient } from '@station/db';
import { NotFoundError } from '../errors';

const view = (row: AuditRow): AuditEvent => ({
  id: row.id.toString(),
  at: row.at.toISOString(),
  actorId: row.actorId,
  actorLabel: row.actorLabel,
  action: row.action,
  entityType: row.entityType,
  entityId: row.entityId,
  details: (row.details as Record<string, unknown> | null) ?? null,
});

/** `GET /api/audit-events`: the audit log, newest first, a page at a time. */
export const auditRoutes: FastifyPluginAsyncZod<{ prisma: PrismaClient }> = async (
  app,
  { prisma },
) => {
  app.get(
    '/audit-events',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first; filter by entity or action, page with `before`',
        querystring: AuditEventsQuery,
        response: { 200: AuditEventsResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { limit, before, ...filter } = request.query;
      // One more than asked: whether a next page exists, without a second query.
      const rows = await auditRepository.list(prisma, {
        ...filter,
        limit: limit + 1,
        before: before === undefined ? undefined : BigInt(before),
      });
      if (!rows) throw new NotFoundError(`No audit event ${before} is known`);
      const page = rows.slice(0, limit);
      return {
        events: page.map(view),
        nextBefore: rows.length > limit ? page.at(-1)!.id.toString() : null,
      };
    },
  );
};
