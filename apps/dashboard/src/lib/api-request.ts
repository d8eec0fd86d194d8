/** What one request to apps/server came back with: an answer (any status), or none at all. */
export type ApiAnswer =
  { kind: 'answer'; status: number; body: unknown } | { kind: 'unreachable'; message: string };

export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * One request to apps/server with the session cookie (`credentials: 'include'`: the dashboard and
 * the server are different origins of one site) and a deadline. A body that is not JSON reads as
 * `undefined`: callers parse bodies with the contracts' schemas anyway.
 */
export async function apiRequest(
  serverUrl: string,
  path: string,
  init: { method?: string; json?: unknown } = {},
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<ApiAnswer> {
  // A timer rather than AbortSignal.timeout: line PCs may run browsers older than it.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(`${serverUrl}${path}`, {
      method: init.method ?? 'GET',
      ...(init.json === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.json) }),
      credentials: 'include',
      cache: 'no-store',
      signal: controller.signal,
    });
    const body: unknown = await response.json().catch(() => undefined);
    return { kind: 'answer', status: response.status, body };
  } catch {
    const reason = controller.signal.aborted
      ? `no answer within ${timeoutMs / 1000} s`
      : 'connection failed';
    return { kind: 'unreachable', message: `Server not reachable at ${serverUrl} (${reason})` };
  } finally {
    clearTimeout(timer);
  }
}
