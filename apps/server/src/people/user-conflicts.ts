// The 409s of adding or changing a user, each naming what is taken and what to do.
import { userRepository, type PrismaClientOrTransaction, type User } from '@station/db';
import { ConflictError } from '../errors';

const holderName = (user: User) => `${user.username}${user.disabledAt ? ' (disabled)' : ''}`;

export const badgeTaken = (holder: User) =>
  new ConflictError(
    'BADGE_TAKEN',
    `This badge is already enrolled for ${holderName(holder)}: remove it there first`,
  );

/**
 * Why a new user could not be inserted: the username or the badge is someone else's. Both are
 * unique, so one of them is (a user is never deleted, so the holder is still there).
 */
export async function creationConflict(
  db: PrismaClientOrTransaction,
  input: { username: string; badgeLookup: string | null },
): Promise<ConflictError> {
  if (await userRepository.findHolder(db, { username: input.username }))
    return new ConflictError('USERNAME_TAKEN', `The username ${input.username} is taken`);
  const holder =
    input.badgeLookup && (await userRepository.findHolder(db, { badgeLookup: input.badgeLookup }));
  if (holder) return badgeTaken(holder);
  return new ConflictError('USER_CONFLICT', 'The username or badge was just taken: try again');
}
