import {
  CreateFlashJobResponse,
  ErrorResponse,
  LABEL_MAX_LENGTH,
  parseLabel,
  type CreateFlashJobRequest,
  type Role,
} from '@station/contracts';
import { describeIssues } from './describe-issues';

/** `label`: as scanned, sent as is; `shown`: what the tile shows while it is sent. */
export type ScanResult =
  { ok: true; label: string; shown: string } | { ok: false; message: string };

/**
 * A barcode scanner types the whole label and Enter. The server reads it (its label formats may
 * include the site's own), so only an empty or over-long scan is refused here; the shared parser
 * with the built-in formats only finds the IMEI to show while the scan is sent.
 */
export function parseScan(raw: string): ScanResult {
  if (raw.trim() === '') return { ok: false, message: 'Nothing scanned: scan the module label' };
  if (raw.length > LABEL_MAX_LENGTH)
    return {
      ok: false,
      message: `Not a module label: ${raw.length} characters, at most ${LABEL_MAX_LENGTH}. Nothing was sent.`,
    };
  const local = parseLabel(raw);
  return { ok: true, label: raw, shown: local.ok ? local.imei : raw.trim() };
}

/** Roles that may flash a module that already passed again (the server checks it too). */
const REWORK_ROLES: ReadonlySet<Role> = new Set(['supervisor', 'engineer', 'admin']);
export const mayRework = (role: Role): boolean => REWORK_ROLES.has(role);

/** The confirmation a supervisor answers before a rework. */
export const reworkQuestion = (label: string, slot: number): string =>
  `This module already passed with this firmware. Flash it again in slot ${slot} (rework, recorded in the audit log)?\n\n${label.trim()}`;

export type CreateFlashJobResult =
  | { ok: true; response: CreateFlashJobResponse }
  /**
   * `code`: the server's error code (ALREADY_PASSED offers a rework); `signedOut`: the session
   * ended (401), the screen goes to the sign-in page.
   */
  | { ok: false; message: string; code?: string; signedOut?: true };

/** The sentence a tile shows for a refused or failed POST /api/flash-jobs answer. */
export function describeRefusal(status: number, body: unknown): string {
  const envelope = ErrorResponse.safeParse(body);
  if (envelope.success) return `${envelope.data.error.message} (${envelope.data.error.code})`;
  return `The server answered ${status} without a readable reason`;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** POST /api/flash-jobs; every failure comes back as a sentence for the tile, never thrown. */
export async function createFlashJob(
  serverUrl: string,
  request: CreateFlashJobRequest,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<CreateFlashJobResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(`${serverUrl}/api/flash-jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      credentials: 'include',
      cache: 'no-store',
      signal: controller.signal,
    });
    body = await response.json().catch(() => undefined);
  } catch {
    const reason = controller.signal.aborted
      ? `no answer within ${timeoutMs / 1000} s`
      : 'connection failed';
    return { ok: false, message: `Server not reachable at ${serverUrl} (${reason}): not started` };
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 401) {
    return { ok: false, message: describeRefusal(response.status, body), signedOut: true };
  }
  if (!response.ok) {
    const code = ErrorResponse.safeParse(body).data?.error.code;
    return { ok: false, message: describeRefusal(response.status, body), code };
  }
  const parsed = CreateFlashJobResponse.safeParse(body);
  if (parsed.success) return { ok: true, response: parsed.data };
  return {
    ok: false,
    message: `The server accepted the job but its answer is not understood: ${describeIssues(parsed.error)}`,
  };
}
