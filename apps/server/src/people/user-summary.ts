// A user as the admin API shows them: whether a password and a badge are set, never their hashes.
import type { UserSummary } from '@station/contracts';
import type { User } from '@station/db';

export const userSummary = (user: User): UserSummary => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  role: user.role,
  disabled: user.disabledAt !== null,
  hasPassword: user.passwordHash !== null,
  hasBadge: user.badgeLookup !== null,
  createdAt: user.createdAt.toISOString(),
});
