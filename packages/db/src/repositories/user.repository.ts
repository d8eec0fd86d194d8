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

/** What an admin may change; a field left out stays. `disabledAt: null` enables the user again. */
export interface UpdateUserInput {
  displayName?: string;
  role?: UserRole;
  passwordHash?: string;
  badgeLookup?: string | null;
  disabledAt?: Date | null;
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

  /** Everyone, disabled users too, by username. */
  async list(db: PrismaClientOrTransaction): Promise<User[]> {
    return db.user.findMany({ orderBy: { username: 'asc' } });
  },

  async findById(db: PrismaClientOrTransaction, id: string): Promise<User | null> {
    return db.user.findUnique({ where: { id } });
  },

  /** Whoever holds the username or the badge lookup, disabled or not (both are unique). */
  async findHolder(
    db: PrismaClientOrTransaction,
    by: { username: string } | { badgeLookup: string },
  ): Promise<User | null> {
    return db.user.findUnique({
      where: 'username' in by ? { username: by.username.toLowerCase() } : by,
    });
  },

  async update(db: PrismaClientOrTransaction, id: string, change: UpdateUserInput): Promise<User> {
    return db.user.update({ where: { id }, data: change });
  },

  /**
   * The ids of the enabled admins, locked until the transaction ends (`FOR UPDATE`): two admins
   * demoting each other at once are then decided one after the other, so the line always keeps
   * one. Call inside a transaction.
   */
  async lockEnabledAdmins(db: PrismaClientOrTransaction): Promise<string[]> {
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM users WHERE role = 'admin' AND disabled_at IS NULL FOR UPDATE`;
    return rows.map((row) => row.id);
  },
};
