// Sessions in Postgres (a Redis restart signs nobody out). The id is the SHA-256 of the token the
// browser holds; the server hashes before every call, so the token itself is never stored.
import type { User } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

export interface CreateSessionInput {
  /** SHA-256 of the token, lower-case hex. */
  id: string;
  userId: string;
  /** Station row id a badge session is bound to. */
  stationId?: string | null;
  expiresAt: Date;
}

export interface ActiveSession {
  id: string;
  expiresAt: Date;
  user: User;
  /** The bound station's code (its StationId), or null. */
  stationCode: string | null;
}

/** findActive's row: the session's columns and its user's, flat. */
type SessionRow = Omit<User, 'id'> & {
  id: string;
  expiresAt: Date;
  stationCode: string | null;
  userId: string;
};

export const sessionRepository = {
  async create(db: PrismaClientOrTransaction, input: CreateSessionInput): Promise<void> {
    await db.session.create({ data: input });
  },

  /**
   * The session when it is live: not revoked, not expired, its user not disabled. Anything else
   * is null, so callers have one answer for every way a session stops counting.
   */
  async findActive(
    db: PrismaClientOrTransaction,
    id: string,
    now: Date = new Date(),
  ): Promise<ActiveSession | null> {
    // One statement, not Prisma's three (session, user, station): every authenticated request
    // pays for this lookup, so it is the floor under every route's latency (#10 §6).
    const [row] = await db.$queryRaw<SessionRow[]>`
      SELECT s.id, s.expires_at AS "expiresAt", st.code AS "stationCode",
             u.id AS "userId", u.username, u.email, u.display_name AS "displayName",
             u.role::text AS role, u.password_hash AS "passwordHash",
             u.badge_lookup AS "badgeLookup", u.disabled_at AS "disabledAt",
             u.created_at AS "createdAt", u.updated_at AS "updatedAt"
        FROM sessions s
        JOIN users u ON u.id = s.user_id
        LEFT JOIN stations st ON st.id = s.station_id
       WHERE s.id = ${id} AND s.revoked_at IS NULL AND s.expires_at > ${now}
         AND u.disabled_at IS NULL`;
    if (!row) return null;
    const { expiresAt, stationCode, userId, ...user } = row;
    return { id: row.id, expiresAt, stationCode, user: { ...user, id: userId } };
  },

  /** Revokes the session; whose it was, or null when it was unknown or already revoked. */
  async revoke(
    db: PrismaClientOrTransaction,
    id: string,
    now: Date = new Date(),
  ): Promise<{ userId: string } | null> {
    const [revoked] = await db.session.updateManyAndReturn({
      where: { id, revokedAt: null },
      data: { revokedAt: now },
      select: { userId: true },
    });
    return revoked ?? null;
  },

  /**
   * Revokes every live session of the user but `except` (the admin's own, when they change
   * themselves); the ids revoked, so their sockets can be disconnected.
   */
  async revokeAllOf(
    db: PrismaClientOrTransaction,
    userId: string,
    options: { except?: string | null; now?: Date } = {},
  ): Promise<string[]> {
    const revoked = await db.session.updateManyAndReturn({
      where: {
        userId,
        revokedAt: null,
        ...(options.except ? { id: { not: options.except } } : {}),
      },
      data: { revokedAt: options.now ?? new Date() },
      select: { id: true },
    });
    return revoked.map((session) => session.id);
  },

  /** Removes sessions that ended (expired or revoked) before `before`; returns how many. */
  async deleteEnded(db: PrismaClientOrTransaction, before: Date): Promise<number> {
    const { count } = await db.session.deleteMany({
      where: { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }] },
    });
    return count;
  },
};
