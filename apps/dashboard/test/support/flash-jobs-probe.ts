import { ErrorResponse } from '@station/contracts';

/**
 * Whether the real server has `POST /api/flash-jobs` yet: an empty body to a route that exists is
 * a 400; a missing route is the server's 404 NOT_FOUND "No route …". Anything else is an error,
 * so a broken server fails the test instead of skipping it.
 */
export async function serverHasFlashJobs(serverUrl: string): Promise<boolean> {
  const response = await fetch(`${serverUrl}/api/flash-jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (response.status !== 404) return true;
  const body = ErrorResponse.safeParse(await response.json().catch(() => null));
  if (
    body.success &&
    body.data.error.code === 'NOT_FOUND' &&
    /^No route/.test(body.data.error.message)
  )
    return false;
  return true;
}
