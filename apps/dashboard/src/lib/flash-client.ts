import {
  CreateFlashJobResponse,
  ErrorResponse,
  Imei,
  type CreateFlashJobRequest,
} from '@station/contracts';
import { describeIssues } from './describe-issues';

export type ScanResult = { ok: true; imei: string } | { ok: false; message: string };

/**
 * A barcode scanner types the label and Enter; surrounding spaces are the scanner's, not the
 * label's. Anything else that is not a valid IMEI is refused here, before anything is sent.
 */
export function parseScan(raw: string): ScanResult {
  const scanned = raw.trim();
  if (scanned === '') return { ok: false, message: 'Nothing scanned: scan the module label' };
  const parsed = Imei.safeParse(scanned);
  if (parsed.success) return { ok: true, imei: parsed.data };
  const reason = parsed.error.issues[0]?.message ?? 'not an IMEI';
  return { ok: false, message: `Not an IMEI label: "${scanned}" (${reason}). Nothing was sent.` };
}

export type CreateFlashJobResult =
  | { ok: true; response: CreateFlashJobResponse }
  /** `signedOut`: the session ended (401); the screen goes to the sign-in page. */
  | { ok: false; message: string; signedOut?: true };

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
  if (!response.ok) return { ok: false, message: describeRefusal(response.status, body) };
  const parsed = CreateFlashJobResponse.safeParse(body);
  if (parsed.success) return { ok: true, response: parsed.data };
  return {
    ok: false,
    message: `The server accepted the job but its answer is not understood: ${describeIssues(parsed.error)}`,
  };
}
