// Firing and cleared, as Prometheus' `for:` does it: a condition must hold for its kind's holdMs
// before it fires, and clears the first evaluation it no longer holds. Pure: state in, state out.
import type { Alert, AlertKind, AlertSeverity } from '@station/contracts';
import type { AlertCandidate } from './alert-rules';

/** A condition seen at `firstSeenMs`; `since` set once it fired. */
export interface TrackedAlert {
  firstSeenMs: number;
  since: string | null;
  candidate: AlertCandidate;
}

export type AlertBook = ReadonlyMap<string, TrackedAlert>;

export interface Transition {
  book: AlertBook;
  /** Ids that fired at this evaluation. */
  fired: string[];
  /** Ids that cleared at this evaluation. */
  cleared: string[];
}

export function advance(
  book: AlertBook,
  candidates: readonly AlertCandidate[],
  nowMs: number,
  holdMs: Readonly<Record<AlertKind, number>>,
): Transition {
  const next = new Map<string, TrackedAlert>();
  const fired: string[] = [];
  for (const candidate of candidates) {
    const before = book.get(candidate.id);
    const firstSeenMs = before?.firstSeenMs ?? nowMs;
    let since = before?.since ?? null;
    if (since === null && nowMs - firstSeenMs >= holdMs[candidate.kind]) {
      since = new Date(nowMs).toISOString();
      fired.push(candidate.id);
    }
    next.set(candidate.id, { firstSeenMs, since, candidate });
  }
  const cleared = [...book]
    .filter(([id, tracked]) => tracked.since !== null && !next.has(id))
    .map(([id]) => id);
  return { book: next, fired, cleared };
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1 };

/** The alerts firing in `book`: most severe first, then oldest, then by id. */
export function firingAlerts(book: AlertBook): Alert[] {
  const alerts: Alert[] = [];
  for (const { since, candidate } of book.values())
    if (since !== null) alerts.push({ ...candidate, since });
  return alerts.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.since.localeCompare(b.since) ||
      a.id.localeCompare(b.id),
  );
}
