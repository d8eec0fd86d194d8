import { StationWatchReply, type StationDetail } from '@station/contracts';
import { describeIssues } from './describe-issues';

export type WatchOutcome = { ok: true; station: StationDetail } | { ok: false; message: string };

/** How often a station this screen could not follow is asked for again. */
export const WATCH_RETRY_MS = 5_000;

// A union's error only says "invalid input": the reply is read as the kind it claims to be, so
// the screen can name the field that is wrong.
const [Accepted, Refused] = StationWatchReply.options;

const consequence = `Its flashes may not show on this screen; retrying every ${WATCH_RETRY_MS / 1000} s.`;

/**
 * The answer to `station:watch` (or its absence) as line state or a sentence for the screen. A
 * reply for another station is refused: its line state would land on the wrong tiles.
 */
export function readWatchReply(
  stationId: string,
  error: Error | null,
  reply: unknown,
  timeoutMs: number,
): WatchOutcome {
  const fail = (why: string): WatchOutcome => ({
    ok: false,
    message: `Cannot follow station ${stationId}: ${why}. ${consequence}`,
  });
  if (error) return fail(`no answer from the server within ${timeoutMs / 1000} s`);
  const claimsRefusal =
    typeof reply === 'object' && reply !== null && (reply as { ok?: unknown }).ok === false;
  const parsed = (claimsRefusal ? Refused : Accepted).safeParse(reply);
  if (!parsed.success) {
    return fail(`the server's answer is not understood (${describeIssues(parsed.error)})`);
  }
  if (!parsed.data.ok) return fail(`the server refused (${parsed.data.error})`);
  if (parsed.data.station.stationId !== stationId) {
    return fail(`the server answered for station ${parsed.data.station.stationId}`);
  }
  return { ok: true, station: parsed.data.station };
}
