import { z } from 'zod';

/**
 * One audit event: who (`actorId`/`actorLabel`), when (`at`), what (`action` on
 * `entityType`/`entityId`) and `details` (`before`/`after` the change, and context). Rows are
 * append-only (docs/security.md "Audit log").
 */
export const AuditEvent = z.object({
  /** Increasing, as a decimal string (a 64-bit id); the `before` cursor of the next page. */
  id: z.string().regex(/^[0-9]+$/),
  at: z.iso.datetime(),
  /** The acting user's id; null for the system, API keys, stations and anonymous callers. */
  actorId: z.string().nullable(),
  /** `user:<id>`, `api-key:<prefix>`, `station:<code>`, `system` or `anonymous`. */
  actorLabel: z.string(),
  /** Dotted verb, e.g. `user.create`, `session.sign_in_failed`. */
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** Most events one page holds. */
export const AUDIT_PAGE_MAX = 200;

/** `GET /api/audit-events` query: filters, page size and the cursor (an event id). */
export const AuditEventsQuery = z.object({
  entityType: z.string().min(1).max(50).optional(),
  entityId: z.string().min(1).max(255).optional(),
  action: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
  /** Only events older than this one: the previous page's `nextBefore`. */
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'before must be an audit event id')
    .optional(),
});
export type AuditEventsQuery = z.infer<typeof AuditEventsQuery>;

/** `GET /api/audit-events`: newest first. */
export const AuditEventsResponse = z.object({
  events: z.array(AuditEvent),
  /** The `before` for the next page; null when this page is the last. */
  nextBefore: z.string().nullable(),
});
export type AuditEventsResponse = z.infer<typeof AuditEventsResponse>;
