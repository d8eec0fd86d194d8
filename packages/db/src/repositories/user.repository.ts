// People: find by username or badge lookup, and create. Hashing is the server's (it owns the
// pepper and the scrypt parameters); this file only stores and finds the hashes it is given.
import type { User, UserRole } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

export interface CreateUserInput {
  /** Stored lower-case; compared lower-case. */
  username: string;
  displayName: string;
  role: UserRole;
  passwordHash?: string | null;
  /** HMAC of the badge (lower-case hex), never the badge itself. */
  badgeLookup?: string | null;
  email?: string | null;
}

export const userRepository = {
  /**
   * Creates the user, or returns null when the username (or badge, or e-mail) is taken: two
   * server instances making the first-start users at once must not fail each other's start.
   * `INSERT … ON CONFLICT DO NOTHING`, not a caught unique violation, so it can run inside a
   * caller's transaction (with its audit event) without aborting it.
   */
  async createIfMissing(
    db: PrismaClientOrTransaction,
    input: CreateUserInput,
  ): Promise<User | null> {
    const [created] = await db.user.createManyAndReturn({
      data: {
        ...input,
        username: input.username.toLowerCase(),
        email: input.email?.toLowerCase() ?? null,
      },
      skipDuplicates: true,
    });
    return created ?? null;
  },

  /** An enabled user by username, case-insensitively; null when unknown or disabled. */
  async findActiveByUsername(
    db: PrismaClientOrTransaction,
    username: string,
  ): Promise<User | null> {
    return db.user.findFirst({ where: { username: username.toLowerCase(), disabledAt: null } });
  },

  /** An enabled user by the HMAC of their badge; null when unknown or disabled. */
  async findActiveByBadgeLookup(
    db: PrismaClientOrTransaction,
    badgeLookup: string,
  ): Promise<User | null> {
    return db.user.findFirst({ where: { badgeLookup, disabledAt: null } });
  },

  async count(db: PrismaClientOrTransaction): Promise<number> {
    return db.user.count();
  },
};
