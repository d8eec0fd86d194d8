// One read of a source per scrape, shared by every gauge fed from it: prom-client asks each
// gauge for its values at once, so gauges that await the same read answer from the same moment.
import { withDeadline } from '../flash/with-deadline';

/** A read's data, or why it failed (missed its deadline, the source refused). */
export type ReadOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** `read` within `deadlineMs`; callers that come while one is running share its outcome. */
export function sharedRead<T>(
  read: () => Promise<T>,
  deadlineMs: number,
  onError: (error: unknown) => void,
): () => Promise<ReadOutcome<T>> {
  let running: Promise<ReadOutcome<T>> | undefined;
  return () =>
    (running ??= withDeadline(read(), deadlineMs)
      .then((value): ReadOutcome<T> => ({ ok: true, value }))
      .catch((error: unknown): ReadOutcome<T> => {
        onError(error);
        return { ok: false, error };
      })
      .finally(() => {
        running = undefined;
      }));
}
