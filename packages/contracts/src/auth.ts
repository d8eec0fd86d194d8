import { z } from 'zod';
import { StationId } from './stations';

/** The four roles, in the order of the database enum `user_role`; each may do what the one before may. */
export const Role = z.enum(['operator', 'supervisor', 'engineer', 'admin']);
export type Role = z.infer<typeof Role>;

export const PasswordSignIn = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type PasswordSignIn = z.infer<typeof PasswordSignIn>;

/** An operator scans their badge at a station's kiosk; the session is bound to that station. */
export const BadgeSignIn = z.object({
  badge: z.string().regex(/^[0-9]{4,32}$/),
  stationId: StationId,
});
export type BadgeSignIn = z.infer<typeof BadgeSignIn>;

/** `POST /api/session` */
export const SignInRequest = z.union([PasswordSignIn, BadgeSignIn]);
export type SignInRequest = z.infer<typeof SignInRequest>;

export const SessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  /** The station a badge session is bound to; null for everyone else. */
  stationId: StationId.nullable(),
});
export type SessionUser = z.infer<typeof SessionUser>;

/** `POST /api/session` and `GET /api/session` */
export const SessionResponse = z.object({ user: SessionUser, expiresAt: z.iso.datetime() });
export type SessionResponse = z.infer<typeof SessionResponse>;

/** The httpOnly cookie holding the session token. */
export const SESSION_COOKIE = 'fs_session';
