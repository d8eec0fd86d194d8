// Signing in to a test server: the session cookie a test sends with its requests and sockets.
import { SESSION_COOKIE, type Role, type SignInRequest } from '@station/contracts';

/**
 * The DEMO_PASSWORD spawnApp('server') gives a server (unless the test sets its own): its first
 * start creates the demo users operator (badge 0001), supervisor, engineer and admin with it.
 */
export const TEST_DEMO_PASSWORD = 'testkit-demo-password';
/** The demo operator's badge. */
export const TEST_DEMO_BADGE = '0001';

/**
 * Signs in and returns the `cookie` header value (`fs_session=…`). `as` is a demo user's name
 * (password sign-in with TEST_DEMO_PASSWORD) or a full sign-in body (a badge at a station).
 * Fails with the server's answer when the sign-in is refused.
 */
export async function signIn(baseUrl: string, as: Role | SignInRequest): Promise<string> {
  const body = typeof as === 'string' ? { username: as, password: TEST_DEMO_PASSWORD } : as;
  const response = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 200) {
    throw new Error(
      `sign-in as ${typeof as === 'string' ? as : JSON.stringify({ ...as, password: undefined })} answered ${response.status}: ${await response.text()}`,
    );
  }
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error(`sign-in answered 200 without a ${SESSION_COOKIE} cookie`);
  return cookie;
}
