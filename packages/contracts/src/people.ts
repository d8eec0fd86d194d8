// What admins manage (docs/security.md "Managing people, keys and stations"): users, API keys and
// the stations' credentials. Secrets travel in one answer only (a new key); lists never hold one.
import { z } from 'zod';
import { BadgeSignIn, Role } from './auth';
import { StationId } from './stations';

/** Letters, digits, `.`, `_` and `-`; stored and compared lower-case (as sign-in compares). */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,99}$/,
    'must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export const DisplayName = z.string().trim().min(1).max(200);

/** Shortest new password: NIST SP 800-63B's floor for a password that is the only factor. */
export const PASSWORD_MIN = 12;
/** A new password: sign-in takes up to 200 characters, as typed (not trimmed). */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(200, 'must be at most 200 characters');

/** A badge as the kiosk reads it: 4-32 digits (the same rule as badge sign-in). */
export const Badge = BadgeSignIn.shape.badge;

/** A row id (UUID): anything else is a 400, not a lookup. */
export const RowId = z.uuid();

/** One user as admins see them: whether they have a password and a badge, never either. */
export const UserSummary = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  disabled: z.boolean(),
  hasPassword: z.boolean(),
  hasBadge: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type UserSummary = z.infer<typeof UserSummary>;

/** `GET /api/users`: by username. */
export const UserListResponse = z.object({ users: z.array(UserSummary) });
export type UserListResponse = z.infer<typeof UserListResponse>;

/** `POST /api/users`: a password, a badge or both (someone with neither could not sign in). */
export const CreateUserRequest = z
  .object({
    username: Username,
    displayName: DisplayName,
    role: Role,
    password: NewPassword.optional(),
    badge: Badge.optional(),
  })
  .refine((user) => user.password !== undefined || user.badge !== undefined, {
    message: 'give a password, a badge or both: without either nobody can sign in as this user',
    path: ['password'],
  });
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** `PATCH /api/users/:id`: only what changes; `badge: null` removes the badge. */
export const UpdateUserRequest = z
  .object({
    displayName: DisplayName.optional(),
    role: Role.optional(),
    password: NewPassword.optional(),
    badge: Badge.nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    message: 'name at least one of displayName, role, password, badge, disabled',
  });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

/**
 * An API key's role: not admin. A key is a secret kept in a script's configuration; one that
 * leaked must not be able to make users or more keys, so admin work needs a person signed in.
 */
export const ApiKeyRole = Role.exclude(['admin'], {
  error: 'must be operator, supervisor or engineer: admin work needs a person signed in',
});
export type ApiKeyRole = z.infer<typeof ApiKeyRole>;

/** One API key in the list: its prefix tells keys apart; the key itself is never shown again. */
export const ApiKeySummary = z.object({
  id: z.string(),
  name: z.string(),
  /** The key's first 12 characters (`fsk_` and 8 more). */
  prefix: z.string(),
  role: Role,
  /** The station an operator key acts for. */
  stationId: StationId.nullable(),
  createdAt: z.iso.datetime(),
  /** Last request made with it (kept to the minute); null when never used. */
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKeySummary = z.infer<typeof ApiKeySummary>;

/** `GET /api/api-keys`: newest first, revoked ones too. */
export const ApiKeyListResponse = z.object({ apiKeys: z.array(ApiKeySummary) });
export type ApiKeyListResponse = z.infer<typeof ApiKeyListResponse>;

/** `POST /api/api-keys`. An operator key needs its station; other roles are not bound to one. */
export const CreateApiKeyRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: ApiKeyRole,
    stationId: StationId.optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((key) => (key.role === 'operator') === (key.stationId !== undefined), {
    message:
      'an operator key needs the station it acts for (stationId); other roles are not bound to a station',
    path: ['stationId'],
  });
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

/** `POST /api/api-keys` → 201: the key, shown this once (only its SHA-256 is kept). */
export const CreatedApiKeyResponse = z.object({ apiKey: ApiKeySummary, key: z.string() });
export type CreatedApiKeyResponse = z.infer<typeof CreatedApiKeyResponse>;

/** A station as admins manage it: whether it holds a credential, and since when. */
export const StationCredentialSummary = z.object({
  stationId: StationId,
  name: z.string(),
  /** When its current credential was issued; null: none (never issued, or revoked). */
  credentialIssuedAt: z.iso.datetime().nullable(),
  /** Its agent is connected to the line now. */
  connected: z.boolean(),
  lastSeenAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type StationCredentialSummary = z.infer<typeof StationCredentialSummary>;

/** `GET /api/station-credentials`: every station the database knows, by id. */
export const StationCredentialListResponse = z.object({
  stations: z.array(StationCredentialSummary),
});
export type StationCredentialListResponse = z.infer<typeof StationCredentialListResponse>;
