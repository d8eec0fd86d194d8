import { SESSION_COOKIE, SessionResponse, type SignInRequest } from '@station/contracts';
import type { BrowserContext } from 'playwright-core';

/**
 * The password of the demo users the server creates at first start when DEMO_PASSWORD is set
 * (`operator` with badge 0001, `supervisor`, `engineer`, `admin`). Every test server gets it.
 */
export const DEMO_PASSWORD = 'demo-line-password';
export const OPERATOR_BADGE = '0001';

export const asUser = (username: string): SignInRequest => ({ username, password: DEMO_PASSWORD });

/** A signed-in session, as a browser or a script holds it. */
export interface SignedIn {
  /** The server that issued it. */
  serverUrl: string;
  session: SessionResponse;
  /** The session cookie's value. */
  token: string;
  /** The `cookie` header a script sends with it. */
  cookieHeader: string;
}

/**
 * Signs in through the API, as a script would (and quicker than the page). The server limits
 * sign-ins per IP, and every test signs in from 127.0.0.1: sign in once per file and role, and
 * reuse the session.
 */
export async function signInThroughApi(
  serverUrl: string,
  request: SignInRequest,
): Promise<SignedIn> {
  const response = await fetch(`${serverUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`sign-in as ${JSON.stringify(request)} answered ${response.status}: ${text}`);
  }
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error(`sign-in set no ${SESSION_COOKIE} cookie: ${text}`);
  return {
    serverUrl,
    session: SessionResponse.parse(JSON.parse(text)),
    token: cookie.slice(SESSION_COOKIE.length + 1),
    cookieHeader: cookie,
  };
}

/**
 * Puts a session into a browser context, as if it had signed in there: the cookie is the server's
 * (host 127.0.0.1; cookies ignore ports, so the dashboard's page sends it to the server too).
 */
export async function addSession(context: BrowserContext, signedIn: SignedIn): Promise<void> {
  await context.addCookies([
    {
      name: SESSION_COOKIE,
      value: signedIn.token,
      url: signedIn.serverUrl,
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
}

/** A JSON request from a test script with a session: `{ status, body }`. */
export async function apiAs(
  signedIn: SignedIn,
  url: string,
  init: { method?: string; json?: unknown } = {},
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      cookie: signedIn.cookieHeader,
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  return { status: response.status, body: await response.text() };
}
