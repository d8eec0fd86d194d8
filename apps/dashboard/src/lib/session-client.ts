import { ErrorResponse, SessionResponse, type SignInRequest } from '@station/contracts';
import { apiRequest } from './api-request';
import { describeIssues } from './describe-issues';

/** Who `GET /api/session` says is signed in on this browser. */
export type SessionLook =
  | { kind: 'signed-in'; session: SessionResponse }
  | { kind: 'signed-out' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'invalid'; message: string };

const notUnderstood = (
  serverUrl: string,
  what: string,
  error: Parameters<typeof describeIssues>[0],
) =>
  `The server at ${serverUrl} sent ${what} this dashboard does not understand: ${describeIssues(error)}`;

/** The server's own sentence from an error envelope, or a plain one naming the status. */
export function describeError(status: number, body: unknown): string {
  const envelope = ErrorResponse.safeParse(body);
  if (envelope.success) return envelope.data.error.message;
  return `The server answered ${status} without a readable reason`;
}

export async function fetchSession(serverUrl: string): Promise<SessionLook> {
  const answer = await apiRequest(serverUrl, '/api/session');
  if (answer.kind === 'unreachable') return answer;
  if (answer.status === 401) return { kind: 'signed-out' };
  if (answer.status !== 200) {
    return { kind: 'invalid', message: describeError(answer.status, answer.body) };
  }
  const parsed = SessionResponse.safeParse(answer.body);
  if (parsed.success) return { kind: 'signed-in', session: parsed.data };
  return { kind: 'invalid', message: notUnderstood(serverUrl, 'a session', parsed.error) };
}

/** Why a sign-in did not work, as the sign-in page shows it. */
export type SignInFailure = {
  reason: 'bad-credentials' | 'unknown-station' | 'rate-limited' | 'unreachable' | 'refused';
  message: string;
};

/** The sentence for a refused `POST /api/session`, by status (codes are the contract's). */
export function describeSignInRefusal(status: number, body: unknown): SignInFailure {
  const said = describeError(status, body);
  if (status === 401) return { reason: 'bad-credentials', message: said };
  if (status === 404) return { reason: 'unknown-station', message: said };
  if (status === 429) {
    // The server's sentence says how long to wait; without one, a minute is its window.
    const envelope = ErrorResponse.safeParse(body);
    return {
      reason: 'rate-limited',
      message: envelope.success
        ? envelope.data.error.message
        : 'Too many sign-in attempts from this screen: wait a minute, then try again',
    };
  }
  return { reason: 'refused', message: `Sign-in failed: ${said} (${status})` };
}

/** One sign-in attempt from a form: `null` when it worked (the screen is leaving for the line). */
export type Attempt = (request: SignInRequest) => Promise<SignInFailure | null>;

export type SignInResult =
  { ok: true; session: SessionResponse } | { ok: false; failure: SignInFailure };

/** `POST /api/session`: the server sets the session cookie; every failure comes back as data. */
export async function signIn(serverUrl: string, request: SignInRequest): Promise<SignInResult> {
  const answer = await apiRequest(serverUrl, '/api/session', { method: 'POST', json: request });
  if (answer.kind === 'unreachable') {
    return { ok: false, failure: { reason: 'unreachable', message: answer.message } };
  }
  if (answer.status !== 200) {
    return { ok: false, failure: describeSignInRefusal(answer.status, answer.body) };
  }
  const parsed = SessionResponse.safeParse(answer.body);
  if (parsed.success) return { ok: true, session: parsed.data };
  return {
    ok: false,
    failure: { reason: 'refused', message: notUnderstood(serverUrl, 'a session', parsed.error) },
  };
}

/** `DELETE /api/session`: null once signed out, else the sentence saying why not. */
export async function signOut(serverUrl: string): Promise<string | null> {
  const answer = await apiRequest(serverUrl, '/api/session', { method: 'DELETE' });
  if (answer.kind === 'unreachable') return `Not signed out: ${answer.message}`;
  // 401: the session had ended already, which is what was asked for.
  if (answer.status === 204 || answer.status === 200 || answer.status === 401) return null;
  return `Not signed out: ${describeError(answer.status, answer.body)}`;
}
