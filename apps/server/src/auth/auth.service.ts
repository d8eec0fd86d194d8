// Sign-in, sign-out and resolving a session token or API key to a principal. Hashing and the
// pepper are here; storage is packages/db's repositories. Sign-ins (failed ones too) and sign-outs
// are written to the audit log (docs/security.md "Audit log"), never with a secret.
import type { SessionResponse, SessionUser, SignInRequest } from '@station/contracts';
import {
  apiKeyRepository,
  auditRepository,
  LAST_USED_RESOLUTION_MS,
  sessionRepository,
  stationRepository,
  userRepository,
  type PrismaClient,
  type User,
} from '@station/db';
import { BadCredentialsError, NotFoundError } from '../errors';
import type { Principal } from './access';
import { decoyHash, verifyPassword } from './password-hash';
import { badgeLookup, newSessionToken, sha256Hex } from './secrets';

export interface AuthServiceOptions {
  prisma: PrismaClient;
  /** Key of the badge lookup (AUTH_PEPPER or the stored generated one). */
  pepper: string;
  sessionTtlMs: number;
}

export interface SignedIn {
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
  session: SessionResponse;
}

const sessionUser = (user: User, stationId: string | null): SessionUser => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  role: user.role,
  stationId,
});

/** An event a signed-in user causes on their own record. */
const userEvent = (action: string, userId: string) => ({
  action,
  entityType: 'user',
  entityId: userId,
  actorId: userId,
  actorLabel: `user:${userId}`,
});

export class AuthService {
  /** Made once at start, so the first unknown user costs no more than the others. */
  private readonly decoy: Promise<string>;

  constructor(private readonly options: AuthServiceOptions) {
    this.decoy = decoyHash();
  }

  /** The badge lookup value stored for `badge`. */
  badgeLookup(badge: string): string {
    return badgeLookup(this.options.pepper, badge);
  }

  async signIn(request: SignInRequest): Promise<SignedIn> {
    const { prisma } = this.options;
    if ('badge' in request) {
      // The station first: an unknown station says nothing about badges.
      const station = await stationRepository.findByCode(prisma, request.stationId);
      if (!station) throw new NotFoundError(`Station ${request.stationId} is not known`);
      const user = await userRepository.findActiveByBadgeLookup(
        prisma,
        this.badgeLookup(request.badge),
      );
      if (!user) {
        // The station, never the badge: a badge opens a session, so it is kept out of the log.
        await this.recordFailure(null, { via: 'badge', stationId: station.code });
        throw new BadCredentialsError('Unknown badge');
      }
      return this.startSession(user, { id: station.id, code: station.code });
    }
    const user = await userRepository.findActiveByUsername(prisma, request.username);
    // An unknown user costs one scrypt too, so the answer's timing does not tell them apart.
    const stored = user?.passwordHash ?? (await this.decoy);
    const matches = await verifyPassword(request.password, stored);
    if (!user || !user.passwordHash || !matches) {
      // Both cases write one row, so the log costs the same either way; never the password.
      await this.recordFailure(user?.id ?? null, {
        via: 'password',
        username: request.username.toLowerCase(),
      });
      throw new BadCredentialsError('Unknown user or wrong password');
    }
    return this.startSession(user, null);
  }

  /** The principal a session cookie stands for; null when unknown, expired or revoked. */
  async fromSessionToken(token: string): Promise<Principal | null> {
    const session = await sessionRepository.findActive(this.options.prisma, sha256Hex(token));
    return (
      session && {
        user: sessionUser(session.user, session.stationCode),
        via: 'session',
        sessionId: session.id,
        expiresAt: session.expiresAt,
      }
    );
  }

  /** The principal an API key stands for (its role, its station if bound); null when not live. */
  async fromApiKey(key: string): Promise<Principal | null> {
    const row = await apiKeyRepository.findActiveByHash(this.options.prisma, sha256Hex(key));
    // The admins' list says when a key was last used; written at most once a minute per key.
    const now = Date.now();
    if (
      row &&
      (row.lastUsedAt === null || now - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS)
    )
      await apiKeyRepository.touch(this.options.prisma, row.id, new Date(now));
    return (
      row && {
        user: {
          id: row.id,
          username: `api-key:${row.prefix}`,
          displayName: row.name,
          role: row.role,
          stationId: row.stationCode,
        },
        via: 'api-key',
        sessionId: null,
        expiresAt: row.expiresAt,
      }
    );
  }

  /** Revokes the session a token names; its id (to disconnect its sockets), or null. */
  async signOut(token: string): Promise<string | null> {
    const id = sha256Hex(token);
    const revoked = await this.options.prisma.$transaction(async (tx) => {
      const session = await sessionRepository.revoke(tx, id);
      if (session) {
        await auditRepository.record(tx, {
          ...userEvent('session.sign_out', session.userId),
          details: { before: { signedIn: true }, after: { signedIn: false } },
        });
      }
      return session;
    });
    return revoked ? id : null;
  }

  /** `session.sign_in_failed`: on the user when the username is known, by nobody known. */
  private async recordFailure(
    userId: string | null,
    attempt: { via: 'badge'; stationId: string } | { via: 'password'; username: string },
  ): Promise<void> {
    await auditRepository.record(this.options.prisma, {
      action: 'session.sign_in_failed',
      entityType: 'user',
      entityId: userId,
      actorLabel: 'anonymous',
      details: { attempt },
    });
  }

  private async startSession(
    user: User,
    station: { id: string; code: string } | null,
  ): Promise<SignedIn> {
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + this.options.sessionTtlMs);
    await this.options.prisma.$transaction(async (tx) => {
      await sessionRepository.create(tx, {
        id: sha256Hex(token),
        userId: user.id,
        stationId: station?.id ?? null,
        expiresAt,
      });
      await auditRepository.record(tx, {
        ...userEvent('session.sign_in', user.id),
        details: {
          before: { signedIn: false },
          after: {
            signedIn: true,
            via: station ? 'badge' : 'password',
            stationId: station?.code ?? null,
            expiresAt: expiresAt.toISOString(),
          },
        },
      });
    });
    return {
      token,
      session: {
        user: sessionUser(user, station?.code ?? null),
        expiresAt: expiresAt.toISOString(),
      },
    };
  }
}
