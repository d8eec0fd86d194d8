import type { z } from 'zod';
import type { ApiAnswer } from './api-request';
import { describeIssues } from './describe-issues';
import { describeError } from './session-client';

/** A request's outcome as data: the answer, or the sentence the page shows. */
export type ApiResult<T> =
  | { ok: true; value: T; status: number }
  /** `signedOut`: the session ended (401); the page goes to the sign-in page. */
  | { ok: false; message: string; signedOut?: true; status?: number };

/** Reads an answer with its contract schema: `what` names it when the body is not understood. */
export function readAnswer<T>(answer: ApiAnswer, schema: z.ZodType<T>, what: string): ApiResult<T> {
  if (answer.kind === 'unreachable') return { ok: false, message: answer.message };
  if (answer.status === 401)
    return { ok: false, message: describeError(401, answer.body), signedOut: true, status: 401 };
  if (answer.status >= 400) {
    return { ok: false, message: describeError(answer.status, answer.body), status: answer.status };
  }
  const parsed = schema.safeParse(answer.body);
  if (parsed.success) return { ok: true, value: parsed.data, status: answer.status };
  return {
    ok: false,
    message: `The server's ${what} is not understood: ${describeIssues(parsed.error)}`,
  };
}
