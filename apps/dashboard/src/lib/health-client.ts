import { ErrorResponse, HealthResponse } from '@station/contracts';
import { describeIssues } from './describe-issues';

/** What one look at `GET /api/health` found; every failure carries a sentence for the screen. */
export type HealthResult =
  | { kind: 'ok'; health: HealthResponse }
  | { kind: 'unreachable'; message: string }
  | { kind: 'invalid'; message: string };

const REQUEST_TIMEOUT_MS = 5_000;

export function unreachableMessage(serverUrl: string): string {
  return `Server not reachable at ${serverUrl}`;
}

/**
 * Fetches the health report. The server answers 503 with a full report when Postgres or Redis is
 * down, so both 200 and 503 bodies are parsed; anything else is an error envelope or garbage.
 */
export async function fetchHealth(
  serverUrl: string,
  signal: AbortSignal,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<HealthResult> {
  // A timer rather than AbortSignal.any/timeout: line PCs may run browsers older than those.
  const request = new AbortController();
  const abort = () => request.abort();
  signal.addEventListener('abort', abort, { once: true });
  const timer = setTimeout(abort, timeoutMs);
  let response: Response;
  try {
    response = await fetch(`${serverUrl}/api/health`, {
      // Anonymous today, but every request carries the session: the server answers per caller.
      credentials: 'include',
      cache: 'no-store',
      signal: request.signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    const reason = request.signal.aborted
      ? `no answer within ${timeoutMs / 1000} s`
      : 'connection failed';
    return { kind: 'unreachable', message: `${unreachableMessage(serverUrl)} (${reason})` };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return {
      kind: 'invalid',
      message: `The server at ${serverUrl} answered ${response.status} without a JSON body`,
    };
  }

  if (response.status === 200 || response.status === 503) {
    const parsed = HealthResponse.safeParse(body);
    if (parsed.success) return { kind: 'ok', health: parsed.data };
    return {
      kind: 'invalid',
      message: `The server at ${serverUrl} sent a health report this dashboard does not understand: ${describeIssues(parsed.error)}`,
    };
  }
  const envelope = ErrorResponse.safeParse(body);
  const detail = envelope.success ? `: ${envelope.data.error.message}` : '';
  return {
    kind: 'invalid',
    message: `The server at ${serverUrl} answered ${response.status}${detail}`,
  };
}
