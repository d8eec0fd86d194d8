// The attempt explorer (issue #10 §2): every flash attempt, filtered and paged newest first, one
// attempt with its retry chain, and the same list as CSV.
import { z } from 'zod';
import { Imei } from './imei';
import { ProtocolTrace } from './trace';

export const ATTEMPTS_PAGE_DEFAULT = 50;
export const ATTEMPTS_PAGE_MAX = 500;

/** Every state an attempt row can be in (the database's attempt_outcome). */
export const AttemptOutcomeFilter = z.enum([
  'running',
  'passed',
  'failed',
  'interrupted',
  'canceled',
]);
export type AttemptOutcomeFilter = z.infer<typeof AttemptOutcomeFilter>;

/** Filters shared by the JSON list and the CSV export; `from` inclusive, `to` exclusive. */
export const AttemptFilter = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** The station's code. */
  station: z.string().min(1).max(64).optional(),
  /** 1-based, as the jig's labels count. */
  slot: z.coerce.number().int().min(1).max(256).optional(),
  /** MediaTek's numeric code (e.g. 2004). */
  errorCode: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  outcome: AttemptOutcomeFilter.optional(),
  /** The firmware package's name. */
  package: z.string().min(1).max(200).optional(),
  imei: Imei.optional(),
});
export type AttemptFilter = z.infer<typeof AttemptFilter>;

/** base64url of `<started_at ISO>|<uuid>`: opaque to clients, checked by decodeAttemptCursor. */
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

export const AttemptsQuery = AttemptFilter.extend({
  limit: z.coerce.number().int().min(1).max(ATTEMPTS_PAGE_MAX).default(ATTEMPTS_PAGE_DEFAULT),
  /** The previous page's `nextCursor`. */
  cursor: z.string().regex(CURSOR_PATTERN, 'cursor must be a nextCursor from this API').optional(),
});
export type AttemptsQuery = z.infer<typeof AttemptsQuery>;

/** Where a page ends: the last row's start time and id (the tie-breaker on equal times). */
export interface AttemptCursor {
  startedAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ASCII only (an ISO time and a uuid), so btoa/atob do: the same code runs in the browser.
const toBase64Url = (ascii: string) =>
  btoa(ascii).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
function fromBase64Url(text: string): string | null {
  try {
    return atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return null;
  }
}

export const encodeAttemptCursor = (cursor: AttemptCursor): string =>
  toBase64Url(`${cursor.startedAt.toISOString()}|${cursor.id}`);

/** The cursor's position, or null when it is not one this API wrote. */
export function decodeAttemptCursor(text: string): AttemptCursor | null {
  if (!CURSOR_PATTERN.test(text)) return null;
  const decoded = fromBase64Url(text);
  if (decoded === null) return null;
  const [iso, id, ...rest] = decoded.split('|');
  if (rest.length > 0 || !iso || !id || !UUID.test(id)) return null;
  if (!z.iso.datetime().safeParse(iso).success) return null;
  return { startedAt: new Date(iso), id };
}

/** One row of the explorer (and of its CSV). */
export const AttemptListItem = z.object({
  id: z.string(),
  imei: z.string(),
  station: z.string(),
  slot: z.number().int(),
  packageName: z.string(),
  packageRevision: z.string(),
  outcome: AttemptOutcomeFilter,
  errorCode: z.number().int().nullable(),
  errorName: z.string().nullable(),
  stageReached: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  /** endedAt − startedAt; null while running. */
  durationMs: z.number().int().nullable(),
  baud: z.number().int().nullable(),
  retryOfId: z.string().nullable(),
  /** The label as the scanner sent it; null for a bare IMEI. */
  labelRaw: z.string().nullable(),
});
export type AttemptListItem = z.infer<typeof AttemptListItem>;

export const AttemptsResponse = z.object({
  items: z.array(AttemptListItem),
  /** The `cursor` for the next page; null when this page is the last. */
  nextCursor: z.string().nullable(),
});
export type AttemptsResponse = z.infer<typeof AttemptsResponse>;

/** `GET /api/attempts/:id`. */
export const AttemptDetail = AttemptListItem.extend({
  errorMessage: z.string().nullable(),
  /** `{ "<stage>": milliseconds }` for each stage run. */
  stageTimings: z.record(z.string(), z.number()).nullable(),
  operatorHint: z.string().nullable(),
  engineerHint: z.string().nullable(),
  bytesWritten: z.number().int().nullable(),
  revisionBefore: z.string().nullable(),
  revisionAfter: z.string().nullable(),
  reportedImei: z.string().nullable(),
  labelFormat: z.string().nullable(),
  /** The username of whoever started the attempt (a retry keeps its first try's); null when an
   * API key or a script started it. */
  operator: z.string().nullable(),
  /** Ids of the retry chain this attempt belongs to, from the first try to the last. */
  retryChain: z.array(z.string()),
  /** The stored protocol trace (flash_attempts.protocol_trace); null when none was recorded. */
  trace: ProtocolTrace.nullable(),
});
export type AttemptDetail = z.infer<typeof AttemptDetail>;

/** The CSV export's columns, in order: the list item's fields. */
export const ATTEMPT_CSV_COLUMNS = [
  'id',
  'imei',
  'station',
  'slot',
  'packageName',
  'packageRevision',
  'outcome',
  'errorCode',
  'errorName',
  'stageReached',
  'startedAt',
  'endedAt',
  'durationMs',
  'baud',
  'retryOfId',
  'labelRaw',
] as const satisfies readonly (keyof AttemptListItem)[];
