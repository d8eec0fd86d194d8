// What a `PATCH /api/users/:id` changes, worked out before anything is written: the columns to
// update, the audit event's before/after, and whether the user's sessions must end. Pure.
import type { Role, UpdateUserRequest } from '@station/contracts';
import type { UpdateUserInput, User } from '@station/db';
import { ConflictError } from '../errors';

export interface UserChangePlan {
  data: UpdateUserInput;
  /** The changed plain fields as they were and as they become. */
  before: Partial<Record<'displayName' | 'role' | 'disabled', string | boolean>>;
  after: Partial<Record<'displayName' | 'role' | 'disabled', string | boolean>>;
  /** Secrets say only that they changed (docs/security.md "Audit log"). */
  secrets: { password?: { changed: true }; badge?: { changed: true; enrolled: boolean } };
  /**
   * Disabled, another role, a new password or badge: what the user's open sessions were granted
   * no longer holds (a session caches nothing, but its sockets do), so they end.
   */
  endsSessions: boolean;
}

export interface UserChangeInput {
  before: User;
  change: UpdateUserRequest;
  /** The new password's hash, when the change sets one. */
  passwordHash?: string;
  /** The new badge's lookup, or null to remove it; undefined when the badge is not changed. */
  badgeLookup?: string | null;
  /** The admin making the change is this user. */
  self: boolean;
  /** Enabled admins other than this user. */
  otherAdmins: number;
  now: Date;
}

const isAdmin = (role: Role, disabled: boolean) => role === 'admin' && !disabled;

export function planUserChange(input: UserChangeInput): UserChangePlan {
  const { before, change } = input;
  const plan: UserChangePlan = {
    data: {},
    before: {},
    after: {},
    secrets: {},
    endsSessions: false,
  };
  const wasDisabled = before.disabledAt !== null;
  const role = change.role ?? before.role;
  const disabled = change.disabled ?? wasDisabled;

  if (isAdmin(before.role, wasDisabled) && !isAdmin(role, disabled)) {
    // The line keeps an admin: nobody locks themselves out, nor removes the last one.
    if (input.self)
      throw new ConflictError(
        'SELF_LOCKOUT',
        disabled
          ? 'You cannot disable yourself: another admin can'
          : 'You cannot take away your own admin role: another admin can',
      );
    if (input.otherAdmins === 0)
      throw new ConflictError(
        'LAST_ADMIN',
        `${before.username} is the last admin: make someone else admin first`,
      );
  }
  const hasPassword = before.passwordHash !== null || input.passwordHash !== undefined;
  const hasBadge =
    input.badgeLookup === undefined ? before.badgeLookup !== null : !!input.badgeLookup;
  if (!hasPassword && !hasBadge)
    throw new ConflictError(
      'NO_SIGN_IN_LEFT',
      `Without a badge ${before.username} could not sign in: set a password first`,
    );

  if (change.displayName !== undefined && change.displayName !== before.displayName) {
    plan.data.displayName = change.displayName;
    plan.before.displayName = before.displayName;
    plan.after.displayName = change.displayName;
  }
  if (role !== before.role) {
    plan.data.role = role;
    plan.before.role = before.role;
    plan.after.role = role;
    plan.endsSessions = true;
  }
  if (disabled !== wasDisabled) {
    plan.data.disabledAt = disabled ? input.now : null;
    plan.before.disabled = wasDisabled;
    plan.after.disabled = disabled;
    plan.endsSessions ||= disabled;
  }
  if (input.passwordHash !== undefined) {
    plan.data.passwordHash = input.passwordHash;
    plan.secrets.password = { changed: true };
    plan.endsSessions = true;
  }
  if (input.badgeLookup !== undefined && input.badgeLookup !== before.badgeLookup) {
    plan.data.badgeLookup = input.badgeLookup;
    plan.secrets.badge = { changed: true, enrolled: input.badgeLookup !== null };
    plan.endsSessions = true;
  }
  return plan;
}

/** True when the plan changes nothing (the same values again): no write, no event. */
export const changesNothing = (plan: UserChangePlan): boolean =>
  Object.keys(plan.data).length === 0;
