import { ATTEMPTS_PAGE_MAX, type AttemptFilter } from '@station/contracts';
import { FILTER_FIELDS, filterText, type FilterText } from './explorer-filter';

/** Page sizes the explorer offers; the URL may carry any size the API takes (1–500). */
export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** What `/explorer`'s URL says: the filters as typed, the page size and where the page starts. */
export interface ExplorerQuery {
  filter: FilterText;
  limit: number;
  /** The `nextCursor` of the newer page this one follows; null for the newest page. */
  cursor: string | null;
}

/** Reads `/explorer?…`. Filters stay text (checkFilter judges them); an odd limit is the default. */
export function readExplorerQuery(params: URLSearchParams): ExplorerQuery {
  const filter: FilterText = {};
  for (const field of FILTER_FIELDS) {
    const value = params.get(field);
    if (value) filter[field] = value;
  }
  const limitText = params.get('limit') ?? '';
  const limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN;
  return {
    filter,
    limit: limit >= 1 && limit <= ATTEMPTS_PAGE_MAX ? limit : DEFAULT_PAGE_SIZE,
    cursor: params.get('cursor') || null,
  };
}

/** The query string of `/explorer` for `query` (`?` included; '' when nothing is set). */
export function explorerSearch(query: ExplorerQuery): string {
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const value = query.filter[field]?.trim();
    if (value) params.set(field, value);
  }
  if (query.limit !== DEFAULT_PAGE_SIZE) params.set('limit', String(query.limit));
  if (query.cursor) params.set('cursor', query.cursor);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function apiSearch(filter: AttemptFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...filterText(filter), ...extra } as Record<string, string>);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `GET /api/attempts` for one page of the checked filter. */
export const attemptsPath = (filter: AttemptFilter, limit: number, cursor: string | null) =>
  `/api/attempts${apiSearch(filter, { limit: String(limit), ...(cursor ? { cursor } : {}) })}`;

/** `GET /api/attempts.csv` with exactly the same filters (every page, no limit). */
export const attemptsCsvPath = (filter: AttemptFilter) => `/api/attempts.csv${apiSearch(filter)}`;

/**
 * The cursors of the pages this tab walked through to reach the shown one, newest first (null is
 * the newest page). Arriving at a cursor already on the trail (Newer, the back button) cuts the
 * trail there; any other cursor (Older, a shared link) is added to it. "Newer" goes to the entry
 * before the last; a trail of one page that is not the newest offers "Newest" instead.
 */
export function followTrail(trail: readonly (string | null)[], cursor: string | null) {
  const at = trail.indexOf(cursor);
  if (at >= 0) return trail.slice(0, at + 1);
  return cursor === null ? [null] : [...trail, cursor];
}

/** Where "Newer" goes from the trail's last page: the page before it, or undefined if none. */
export const newerCursor = (trail: readonly (string | null)[]): string | null | undefined =>
  trail.length >= 2 ? trail[trail.length - 2] : undefined;
