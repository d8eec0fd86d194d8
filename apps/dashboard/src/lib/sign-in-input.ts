import { BadgeSignIn, PasswordSignIn } from '@station/contracts';

export type Parsed<T> = { ok: true; request: T } | { ok: false; message: string };

/**
 * A badge scan at a kiosk: the scanner types the badge's digits and Enter; surrounding spaces are
 * the scanner's. Anything else is refused here, before anything is sent.
 */
export function parseBadgeScan(raw: string, stationId: string): Parsed<BadgeSignIn> {
  const badge = raw.trim();
  if (badge === '') return { ok: false, message: 'Nothing scanned: scan your badge' };
  const parsed = BadgeSignIn.safeParse({ badge, stationId });
  if (parsed.success) return { ok: true, request: parsed.data };
  if (parsed.error.issues.some((issue) => issue.path[0] === 'stationId')) {
    return {
      ok: false,
      message: `"${stationId}" is not a station id: open this kiosk's own address`,
    };
  }
  return {
    ok: false,
    message: `Not a badge: "${badge}" (a badge is 4 to 32 digits). Nothing was sent.`,
  };
}

/** The user name and password form; the first missing field is named. */
export function parsePasswordForm(username: string, password: string): Parsed<PasswordSignIn> {
  if (username.trim() === '') return { ok: false, message: 'Enter your user name' };
  if (password === '') return { ok: false, message: 'Enter your password' };
  const parsed = PasswordSignIn.safeParse({ username, password });
  if (parsed.success) return { ok: true, request: parsed.data };
  const field = parsed.error.issues[0]?.path[0] === 'password' ? 'password' : 'user name';
  return { ok: false, message: `That ${field} is too long` };
}
