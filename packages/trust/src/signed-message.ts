// Every message that matters between a station and the servers travels signed with the station's
// key: jobs (server → station), registrations, results and progress (station → server), and result
// confirmations (server → station). The signature covers the exact JSON text sent plus the kind of
// message, so nothing is re-serialised before checking and a signed result cannot pass as a job.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type MessageKind = 'job' | 'control' | 'result' | 'progress' | 'confirm';

/** The signed form: `m` the message as JSON text, `s` the HMAC-SHA256 of kind and text (hex). */
export interface SignedMessage {
  m: string;
  s: string;
}

const hmac = (signingKey: string, kind: MessageKind, text: string): Buffer =>
  createHmac('sha256', Buffer.from(signingKey, 'hex')).update(`${kind}\n${text}`).digest();

export function signMessage(
  signingKey: string,
  kind: MessageKind,
  message: unknown,
): SignedMessage {
  const m = JSON.stringify(message);
  return { m, s: hmac(signingKey, kind, m).toString('hex') };
}

export type OpenResult = { ok: true; message: unknown } | { ok: false; reason: string };

/**
 * The message inside `signed` when its signature is the station key's, else why not. Anything
 * may arrive here (a Redis entry anyone on the network could have written), so every shape is
 * checked before use.
 */
export function openMessage(signingKey: string, kind: MessageKind, signed: unknown): OpenResult {
  if (typeof signed !== 'object' || signed === null)
    return { ok: false, reason: 'not a signed message' };
  const { m, s } = signed as Record<string, unknown>;
  if (typeof m !== 'string' || typeof s !== 'string' || !/^[0-9a-f]{64}$/.test(s))
    return { ok: false, reason: 'no signature' };
  const expected = hmac(signingKey, kind, m);
  if (!timingSafeEqual(expected, Buffer.from(s, 'hex')))
    return { ok: false, reason: `bad ${kind} signature` };
  try {
    return { ok: true, message: JSON.parse(m) as unknown };
  } catch {
    return { ok: false, reason: 'signed text is not JSON' };
  }
}

/** Stream entries hold `m` and `s` as fields; this reads them back from XREAD's flat list. */
export function signedFromFields(fields: readonly string[]): Partial<SignedMessage> {
  const found: Partial<SignedMessage> = {};
  for (let at = 0; at + 1 < fields.length; at += 2) {
    if (fields[at] === 'm') found.m = fields[at + 1];
    if (fields[at] === 's') found.s = fields[at + 1];
  }
  return found;
}
